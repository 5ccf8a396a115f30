// A PDF handed to `qujat verify` comes from outside: crafted structure and
// random damage must give a report that says why, never a crash, a hang, an
// exception out of verify_pdf, or "valid".
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>

#include "qujat/common/bytes.h"
#include "qujat/pki/test_pki.h"
#include "qujat/render/pdf.h"
#include "render/sample_forms.h"
#include "support/findings.h"
#include "support/self_signed.h"

using namespace qujat;

namespace {

const pki::KeyStore& signer() {
  static const pki::KeyStore key = test::self_signed_signer(pki::KeyAlgorithm::Rsa, "PDF HOSTILE");
  return key;
}

const Bytes& signed_licence() {
  static const Bytes pdf = [] {
    render::PdfOptions options;
    render::PdfSignature signature;
    signature.signer = &signer();
    signature.signing_time = parse_instant("2025-01-01T10:00:00Z");
    options.signature = signature;
    options.creation_time = signature.signing_time;
    return render::render_pdf(test::export_licence_form(), options);
  }();
  return pdf;
}

// The signer's self-signed certificate is the trust anchor.
dsig::VerifyOptions at_2025() {
  dsig::VerifyOptions options;
  options.at = parse_instant("2025-06-01T00:00:00Z");
  options.trust.add_anchor(signer().certificate);
  return options;
}

// The /Contents hex string: [first digit, closing '>').
std::pair<std::size_t, std::size_t> contents_span(const Bytes& pdf) {
  const std::string text(pdf.begin(), pdf.end());
  const std::size_t open = text.find("/Contents<");
  const std::size_t begin = open + 10;
  return {begin, text.find('>', begin)};
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

dsig::VerificationReport verify(const Bytes& pdf) {
  dsig::VerificationReport report;
  EXPECT_NO_THROW(report = render::verify_pdf(pdf, at_2025()));
  return report;
}

void expect_rejected_with_reason(const dsig::VerificationReport& report, const std::string& what) {
  EXPECT_FALSE(report.valid) << what << "\n" << report.to_text();
  EXPECT_NE(report.exit_code(), 0) << what;
  EXPECT_FALSE(report.to_text().find("error:") == std::string::npos) << what << "\n" << report.to_text();
  // ...and says it in Kazakh, Russian and English, with a code.
  EXPECT_FALSE(test::all_problems(report).empty()) << what;
  test::expect_all_worded(report);
  EXPECT_FALSE(report.to_text(i18n::Language::kk).find("қате:") == std::string::npos) << what;
}

}  // namespace

TEST(PdfHostile, TheUndamagedSignedLicenceIsValid) {
  const auto report = verify(signed_licence());
  EXPECT_TRUE(report.valid) << report.to_text();
}

TEST(PdfHostile, RandomByteChangesOutsideTheSignaturePaddingAreNeverValid) {
  const Bytes& original = signed_licence();
  const auto [hex_begin, hex_end] = contents_span(original);
  ASSERT_LT(hex_begin + 8, hex_end);
  // The CMS (SEQUENCE with a two-byte length, "3082LLLL") fills the start of
  // the reserved hex string; the rest is zero padding that no signature
  // covers (PDF 32000-1, 12.8.1).
  const std::string head(original.begin() + static_cast<std::ptrdiff_t>(hex_begin),
                         original.begin() + static_cast<std::ptrdiff_t>(hex_begin + 8));
  ASSERT_EQ(head.substr(0, 4), "3082");
  const std::size_t padding_begin = hex_begin + 2 * (4 + std::stoul(head.substr(4), nullptr, 16));
  ASSERT_LT(padding_begin, hex_end);

  std::mt19937 rng(20261122);
  std::uniform_int_distribution<std::size_t> position(0, original.size() - 1);
  int in_padding = 0;
  for (int i = 0; i < 200; ++i) {
    Bytes damaged = original;
    const std::size_t at = position(rng);
    const auto before = damaged[at];
    damaged[at] = static_cast<std::uint8_t>(before ^ (1u + rng() % 255));
    const auto report = verify(damaged);
    if (at >= padding_begin && at < hex_end && std::isxdigit(damaged[at]) != 0) {
      ++in_padding;  // still the same CMS: may stay valid
      continue;
    }
    EXPECT_FALSE(report.valid) << "byte " << at << " changed from " << int(before) << " to " << int(damaged[at]);
  }
  EXPECT_LT(in_padding, 200);
}

TEST(PdfHostile, TruncatedFilesAreNeverValid) {
  const Bytes& original = signed_licence();
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> length(0, original.size() - 1);
  for (int i = 0; i < 60; ++i) {
    const std::size_t keep = length(rng);
    const Bytes cut(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(keep));
    expect_rejected_with_reason(verify(cut), "truncated to " + std::to_string(keep) + " bytes");
  }
}

TEST(PdfHostile, CraftedStructuresAreRejectedWithAReason) {
  const std::string header = "%PDF-1.7\n";
  const std::string trailer = "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
  struct Case {
    std::string name;
    std::string pdf;
  };
  std::vector<Case> cases;
  cases.push_back({"not a PDF", "%PDX garbage"});
  cases.push_back({"empty", ""});
  cases.push_back({"only a header", header});
  cases.push_back({"200,000 nested arrays",
                   header + "1 0 obj\n" + std::string(200000, '[') + std::string(200000, ']') + "\nendobj\n" + trailer});
  {
    std::string dicts;
    for (int i = 0; i < 50000; ++i) dicts += "<< /A ";
    for (int i = 0; i < 50000; ++i) dicts += ">>";
    cases.push_back({"50,000 nested dictionaries", header + "1 0 obj\n" + dicts + "\nendobj\n" + trailer});
  }
  {
    std::string pdf = header + "1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev " +
           std::to_string(xref) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    cases.push_back({"an xref section that is its own /Prev", pdf});
  }
  cases.push_back({"a cross-reference table claiming 2,000,000,000 entries",
                   header + "1 0 obj\n<< >>\nendobj\nxref\n0 2000000000\n0000000000 65535 f \ntrailer\n<< /Size "
                            "2000000000 /Root 1 0 R >>\nstartxref\n" +
                       std::to_string(header.size() + 21) + "\n%%EOF\n"});
  cases.push_back({"a stream claiming a terabyte",
                   header + "1 0 obj\n<< /Length 999999999999 >>\nstream\nabc\nendstream\nendobj\n" + trailer});
  cases.push_back({"a stream whose /Length is itself",
                   header + "1 0 obj\n<< /Length 1 0 R >>\nstream\nabc\nendstream\nendobj\n" + trailer});
  cases.push_back({"a signature whose /ByteRange runs past the end",
                   header + "1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
                            "/ByteRange [0 10 20 999999] /Contents <3082> >>\nendobj\n" + trailer});
  cases.push_back({"a signature whose /ByteRange has negative numbers",
                   header + "1 0 obj\n<< /Type /Sig /ByteRange [0 -5 -10 4] /Contents <3082> >>\nendobj\n" + trailer});
  cases.push_back({"a signature whose /Contents is not a CMS",
                   header + "1 0 obj\n<< /Type /Sig /ByteRange [0 9 20 1] /Contents <00> >>\nendobj\n" + trailer});

  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    expect_rejected_with_reason(verify(bytes_of(c.pdf)), c.name);
  }
}

TEST(PdfHostile, AnIncrementalUpdateAfterSigningIsReported) {
  // A classic shadow attack: new objects appended after the signed revision.
  Bytes pdf = signed_licence();
  const std::string update =
      "\n99 0 obj\n<< /Type /Annot /Subtype /FreeText /Contents (ANNULLED) >>\nendobj\n"
      "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
  pdf.insert(pdf.end(), update.begin(), update.end());
  const auto report = verify(pdf);
  expect_rejected_with_reason(report, "incremental update");
  EXPECT_NE(report.to_text().find("changed after signing"), std::string::npos) << report.to_text();
  const auto p = test::find_problem(report, "pdf.range_not_whole_file");
  ASSERT_TRUE(p.has_value()) << report.to_json_text(2);
  EXPECT_EQ(p->params.at("size"), std::to_string(pdf.size()));
  EXPECT_NE(p->message.kk.find("қол қойылғаннан кейін файл өзгертілген"), std::string::npos) << p->message.kk;
  EXPECT_NE(p->message.ru.find("файл изменён после подписания"), std::string::npos) << p->message.ru;
}
