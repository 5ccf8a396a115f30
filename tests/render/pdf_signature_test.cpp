// PAdES-B-B with the real NCA test keys: poppler's pdfsig must accept what
// render_pdf signs with RSA, verify_pdf must accept RSA and GOST 2015, and a
// byte changed inside the signed range must make both reject it.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "qujat/common/bytes.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/render/pdf.h"
#include "render/pdf_tools.h"
#include "render/sample_forms.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::test;

namespace {

std::string run_text(const std::string& command) { return run(command).output; }

Bytes signed_licence(const pki::KeyStore& key) {
  render::PdfOptions options;
  render::PdfSignature signature;
  signature.signer = &key;
  signature.signing_time = parse_instant("2022-12-01T10:00:00Z");
  options.signature = signature;
  options.creation_time = signature.signing_time;
  return render::render_pdf(test::export_licence_form(), options);
}

// At `instant`, trusting the NCA test CAs.
dsig::VerifyOptions at(const char* instant) {
  dsig::VerifyOptions options;
  options.at = parse_instant(instant);
  options.trust.add_anchors_from(test::nca("ca"));
  return options;
}

// A byte of the Info dictionary's /Producer value: inside the first signed range.
Bytes tampered(Bytes pdf) {
  const std::string text(pdf.begin(), pdf.end());
  const auto pos = text.find("qujat", text.find("/Producer"));
  EXPECT_NE(pos, std::string::npos);
  pdf[pos] = 'Q';
  return pdf;
}

}  // namespace

TEST(PdfSignature, RsaSignedLicenceIsValidForPopplerAndVerifyPdf) {
  const auto key = pki::load_pkcs12(test::nca("keys/individual_valid_sign_2004_rsa.p12"), qujat::test::kNcaRsa2004Password);
  const Bytes pdf = signed_licence(key);
  EXPECT_LT(pdf.size(), 150u * 1024);
  const auto path = write_pdf("export-licence-signed-rsa.pdf", pdf);
  const std::string sig = run_text("pdfsig '" + path.string() + "'");
  EXPECT_NE(sig.find("Signature Validation: Signature is Valid."), std::string::npos) << sig;
  EXPECT_NE(sig.find("ETSI.CAdES.detached"), std::string::npos) << sig;
  EXPECT_NE(sig.find("Total document signed"), std::string::npos) << sig;

  // ESS signingCertificateV2 (1.2.840.113549.1.9.16.2.47) is among the signed attributes, as PAdES requires
  const std::string raw(pdf.begin(), pdf.end());
  const auto contents = raw.find("/Contents<");
  ASSERT_NE(contents, std::string::npos);
  const std::string hex = raw.substr(contents + 10, raw.find('>', contents) - contents - 10);
  EXPECT_NE(hex.find("060B2A864886F70D010910022F"), std::string::npos);
  // and signingTime (1.2.840.113549.1.9.5) is not: PAdES-B-B puts the time in /M only
  EXPECT_EQ(hex.find("06092A864886F70D010905"), std::string::npos);

  const auto report = render::verify_pdf(pdf, at("2021-06-01T00:00:00Z"));
  EXPECT_EQ(report.format, "pdf");
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  EXPECT_TRUE(report.signatures[0].cryptographic_valid) << report.to_text();
  EXPECT_EQ(report.signatures[0].algorithm, "rsa-sha256");
  EXPECT_EQ(report.signatures[0].signer.iin, "123456789011");
  EXPECT_EQ(report.signatures[0].chain, dsig::ChainStatus::Trusted);
  ASSERT_TRUE(report.signatures[0].signing_time.has_value()) << report.to_text();
  EXPECT_EQ(format_instant_utc(*report.signatures[0].signing_time), "2022-12-01T10:00:00Z");
  EXPECT_TRUE(report.valid) << report.to_text();

  const auto changed = write_pdf("export-licence-signed-rsa-tampered.pdf", tampered(pdf));
  const std::string bad = run_text("pdfsig '" + changed.string() + "'");
  EXPECT_EQ(bad.find("Signature is Valid."), std::string::npos) << bad;
  EXPECT_NE(bad.find("Signature Validation: Digest Mismatch."), std::string::npos) << bad;
  const auto bad_report = render::verify_pdf(read_file(changed.string()), at("2021-06-01T00:00:00Z"));
  EXPECT_FALSE(bad_report.valid);
  EXPECT_EQ(bad_report.exit_code(), 1) << bad_report.to_text();
}

TEST(PdfSignature, GostSignedLicenceVerifiesAndTamperingIsCaught) {
  const auto key = pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  const Bytes pdf = signed_licence(key);
  write_pdf("export-licence-signed-gost.pdf", pdf);
  const auto report = render::verify_pdf(pdf, at("2022-12-01T00:00:00Z"));
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  EXPECT_TRUE(report.signatures[0].cryptographic_valid) << report.to_text();
  EXPECT_EQ(report.signatures[0].algorithm, "gost2015-512");
  EXPECT_EQ(report.signatures[0].signer.iin, "123456789012");
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.exit_code(), 0);

  const auto bad = render::verify_pdf(tampered(pdf), at("2022-12-01T00:00:00Z"));
  EXPECT_FALSE(bad.valid);
  ASSERT_EQ(bad.signatures.size(), 1u) << bad.to_text();
  EXPECT_FALSE(bad.signatures[0].cryptographic_valid);
}

TEST(PdfSignature, BytesAppendedAfterSigningAreReported) {
  const auto key = pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  Bytes pdf = signed_licence(key);
  const std::string extra = "\n% appended after signing\n";
  pdf.insert(pdf.end(), extra.begin(), extra.end());
  const auto report = render::verify_pdf(pdf, at("2022-12-01T00:00:00Z"));
  EXPECT_FALSE(report.valid) << report.to_text();
  EXPECT_NE(report.to_text().find("changed after signing"), std::string::npos) << report.to_text();
}

TEST(PdfSignature, UnsignedAndUnreadableInputsAreReportedNotThrown) {
  const Bytes unsigned_pdf = render::render_pdf(test::export_licence_form());
  const auto none = render::verify_pdf(unsigned_pdf, {});
  EXPECT_FALSE(none.valid);
  EXPECT_TRUE(none.signatures.empty());
  EXPECT_FALSE(none.errors.empty());

  const std::string junk = "%PDF-1.7\nthis is not a PDF";
  const auto garbage = render::verify_pdf(as_bytes(junk), {});
  EXPECT_FALSE(garbage.valid);
  EXPECT_TRUE(garbage.malformed);
  EXPECT_EQ(garbage.exit_code(), 2);
}
