// Writes the generated seeds of the fuzz corpora (tests/fuzz/corpus/*/gen-*):
// documents signed by qujat itself with the public NCA test keys, so the
// fuzzers start from inputs that verify all the way (chain to the NCA test
// CAs at fuzz::check_time()). Run once by hand when the signing shapes
// change: `cmake --build build --target qujat_fuzz_seeds && build/tests/fuzz/qujat_fuzz_seeds`.
#include <cstdio>
#include <string>

#include "fuzz/fuzz_support.h"
#include "qujat/dsig/cms.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/render/pdf.h"
#include "render/sample_forms.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace {

using namespace qujat;

std::string corpus(const std::string& target, const std::string& name) {
  return (test::source_root() / "tests" / "fuzz" / "corpus" / target / ("gen-" + name)).string();
}

void put(const std::string& target, const std::string& name, ByteView data) {
  write_file(corpus(target, name), data);
  std::printf("%s (%zu bytes)\n", corpus(target, name).c_str(), data.size());
}
void put(const std::string& target, const std::string& name, std::string_view text) {
  put(target, name, as_bytes(text));
}

pki::KeyStore nca_key(const std::string& file, const char* password) {
  return pki::load_pkcs12((test::source_root() / "tests/fuzz/corpus/pkcs12" / file).string(), password);
}

// The smallest PDF with one PAdES signature: a page, an AcroForm with the
// signature field, and the signature dictionary whose /Contents is signed
// over the /ByteRange. Small on purpose: a fuzzer mutates every byte.
Bytes minimal_signed_pdf(const pki::KeyStore& signer) {
  const std::size_t reserve = 8192;  // hex digits of /Contents
  const std::string placeholder = "/ByteRange[0 0000000000 0000000000 0000000000]";
  std::string pdf = "%PDF-1.7\n";
  std::vector<std::size_t> offsets;
  auto object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  object("<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]/SigFlags 3>>>>");
  object("<</Type/Pages/Kids[3 0 R]/Count 1>>");
  object("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>");
  object("<</Type/Annot/Subtype/Widget/FT/Sig/T(Signature1)/Rect[0 0 0 0]/F 132/P 3 0 R/V 5 0 R>>");
  object("<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(D:20221001120000Z)" + placeholder +
         "/Contents<" + std::string(reserve, '0') + ">>>");
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t o : offsets) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<</Size " + std::to_string(offsets.size() + 1) + "/Root 1 0 R>>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";

  const std::size_t gap_begin = pdf.find("/Contents<") + 9;
  const std::size_t gap_end = gap_begin + reserve + 2;
  char range[64];
  std::snprintf(range, sizeof range, "/ByteRange[0 %010zu %010zu %010zu]", gap_begin, gap_end, pdf.size() - gap_end);
  pdf.replace(pdf.find(placeholder), placeholder.size(), range);

  const std::string ranged = pdf.substr(0, gap_begin) + pdf.substr(gap_end);
  dsig::CmsSignOptions options;
  options.detached = true;
  options.signing_time_attribute = false;  // PAdES-B-B: the time is /M
  const std::string hex = hex_encode(dsig::cms_sign(as_bytes(ranged), signer, options));
  pdf.replace(gap_begin + 1, hex.size(), hex);
  return Bytes(pdf.begin(), pdf.end());
}

}  // namespace

int main() {
  const auto gost = nca_key("individual_valid_2015_gost.p12", test::kNcaGost2015Password);
  const auto rsa = nca_key("individual_valid_sign_2004_rsa.p12", test::kNcaRsa2004Password);
  const Instant signed_at = *parse_instant("2022-10-01T12:00:00Z");

  // XMLDSig: the whole document, by ID, and a co-signature.
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application Id=\"app\" kind=\"export-licence\">"
      "<applicant bin=\"123456789021\">ТОО «Тест»</applicant><note>&lt;ok&gt;</note></application>";
  put("xml_signature", "gost2015.xml", dsig::sign_xml(xml, gost));
  put("xml_signature", "rsa.xml", dsig::sign_xml(xml, rsa));
  dsig::XmlSignOptions by_id;
  by_id.reference_id = "app";
  put("xml_signature", "gost2015-by-id.xml", dsig::sign_xml(xml, gost, by_id));
  put("xml_signature", "rsa-then-gost2015.xml", dsig::sign_xml(dsig::sign_xml(xml, rsa), gost));

  // WS-Security on a SOAP 1.1 envelope, as the MFA exchange signs it.
  const std::string soap =
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header/><soap:Body>"
      "<m:CheckGuarantee xmlns:m=\"urn:qujat:mfa\"><m:Number>KZ-EXP-2022-000001</m:Number></m:CheckGuarantee>"
      "</soap:Body></soap:Envelope>";
  dsig::WssSignOptions wss;
  wss.created = *parse_instant("2022-09-30T23:58:00Z");
  put("wss", "gost2015.soap.xml", dsig::wss_sign(soap, gost, wss));
  put("wss", "rsa.soap.xml", dsig::wss_sign(soap, rsa, wss));

  // CMS: attached, detached, two signers, base64.
  dsig::CmsSignOptions attached;
  attached.signing_time = signed_at;
  dsig::CmsSignOptions detached = attached;
  detached.detached = true;
  const Bytes gost_attached = dsig::cms_sign(as_bytes("test123"), gost, attached);
  put("cms", "gost2015-attached.cms", gost_attached);
  put("cms", "gost2015-detached.cms", dsig::cms_sign(as_bytes("test123"), gost, detached));
  put("cms", "rsa-attached.cms", dsig::cms_sign(as_bytes("test123"), rsa, attached));
  put("cms", "gost2015-rsa-cosigned.cms", dsig::cms_add_signer(gost_attached, std::nullopt, rsa, attached));
  put("cms", "gost2015-attached.b64", base64_encode_wrapped(gost_attached, 64, "\r\n"));

  // PDF: the smallest signed PDF, and a licence as qujat renders and signs it.
  put("pdf_signature", "minimal-gost2015.pdf", minimal_signed_pdf(gost));
  put("pdf_signature", "minimal-rsa.pdf", minimal_signed_pdf(rsa));
  render::PdfOptions licence;
  licence.languages = {"kk"};
  licence.creation_time = signed_at;
  render::PdfSignature signature;
  signature.signer = &gost;
  signature.signing_time = signed_at;
  licence.signature = signature;
  put("pdf_signature", "licence-kk-gost2015.pdf", render::render_pdf(test::export_licence_form(), licence));
  return 0;
}
