#include "render/pades.h"

#include <podofo/podofo.h>

#include <charconv>
#include <mutex>

#include "qujat/common/error.h"
#include "qujat/dsig/cms.h"
#include "render/pdf_date.h"
#include "render/podofo.h"

namespace qujat::render {
namespace {

using namespace PoDoFo;

PdfString utf8(const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); }

// Length of the DER element at the start of `der` (the CMS in /Contents is
// followed by the zero padding of the placeholder); 0 when not DER.
std::size_t der_length(ByteView der) {
  if (der.size() < 2 || der[0] != 0x30) return 0;
  std::size_t len = der[1];
  std::size_t header = 2;
  if (len & 0x80) {
    const std::size_t octets = len & 0x7f;
    if (octets == 0 || octets > 4 || der.size() < 2 + octets) return 0;
    len = 0;
    for (std::size_t i = 0; i < octets; ++i) len = (len << 8) | der[2 + i];
    header += octets;
  }
  return header + len <= der.size() ? header + len : 0;
}

struct SignatureDictionary {
  std::vector<long long> byte_range;
  std::string sub_filter;
  std::optional<Instant> claimed_time;  // /M
  std::string field_name;
};

std::optional<Instant> date_of(const PdfObject& value) {
  if (!value.IsString()) return std::nullopt;
  return parse_pdf_date(value.GetString().GetStringUtf8());
}

std::vector<SignatureDictionary> find_signatures(ByteView pdf) {
  const auto document = new_document();
  PdfMemDocument& doc = *document;
  doc.LoadFromBuffer(reinterpret_cast<const char*>(pdf.data()), static_cast<long>(pdf.size()));
  std::vector<SignatureDictionary> out;
  for (PdfObject* object : doc.GetObjects()) {
    if (!object->IsDictionary()) continue;
    const PdfDictionary& dict = object->GetDictionary();
    const PdfObject* type = dict.GetKey("Type");
    const PdfObject* range = dict.GetKey("ByteRange");
    const bool is_sig = type != nullptr && type->IsName() && (type->GetName() == PdfName("Sig") ||
                                                              type->GetName() == PdfName("DocTimeStamp"));
    if (!is_sig && (range == nullptr || dict.GetKey("Contents") == nullptr)) continue;
    SignatureDictionary sig;
    if (range != nullptr && range->IsArray())
      for (const auto& v : range->GetArray())
        if (v.IsNumber()) sig.byte_range.push_back(v.GetNumber());
    if (const PdfObject* sf = dict.GetKey("SubFilter"); sf != nullptr && sf->IsName())
      sig.sub_filter = sf->GetName().GetName();
    if (const PdfObject* m = dict.GetKey("M")) sig.claimed_time = date_of(*m);
    out.push_back(std::move(sig));
  }
  return out;
}

bool is_hex(std::uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

Bytes write_signed(PdfMemDocument& doc, const PdfSignature& signature, Instant default_time) {
  if (signature.signer == nullptr) throw Error("render.sign", "no signing key was given for the PDF signature");
  const Instant when = signature.signing_time ? *signature.signing_time : default_time;

  // The field is invisible: PoDoFo's default AcroForm appearance (a
  // Helvetica font with its width table) would only be written and hashed.
  doc.GetAcroForm(ePdfCreateObject, ePdfAcroFormDefaultAppearance_None);
  PdfSignatureField field(doc.GetPage(0), PdfRect(0, 0, 0, 0), &doc);
  field.SetFieldName(PdfString("Signature1"));
  PdfRefCountedBuffer buffer;
  PdfOutputDevice device(&buffer);
  PdfSignOutputDevice signer(&device);
  signer.SetSignatureSize(kSignatureReserve);
  field.SetSignature(*signer.GetSignatureBeacon());
  if (!signature.reason.empty()) field.SetSignatureReason(utf8(signature.reason));
  if (!signature.location.empty()) field.SetSignatureLocation(utf8(signature.location));
  field.GetSignatureObject()->GetDictionary().AddKey("M", PdfString(pdf_date(when)));
  PdfDictionary& dict = field.GetSignatureObject()->GetDictionary();
  dict.AddKey("SubFilter", PdfName("ETSI.CAdES.detached"));
  doc.GetAcroForm()->GetObject()->GetDictionary().AddKey("SigFlags", PdfObject(static_cast<pdf_int64>(3)));

  doc.Write(&signer);
  signer.AdjustByteRange();
  signer.Seek(0);
  std::string ranged;
  ranged.reserve(device.GetLength());
  char chunk[65536];
  for (std::size_t n; (n = signer.ReadForSignature(chunk, sizeof chunk)) > 0;) ranged.append(chunk, n);

  dsig::CmsSignOptions cms_options;
  cms_options.detached = true;
  cms_options.signing_time_attribute = false;  // PAdES-B-B: the time is /M, set above
  cms_options.signing_certificate_v2 = true;  // PAdES (ETSI.CAdES.detached) requires ESS signingCertificateV2
  Bytes cms;
  try {
    cms = dsig::cms_sign(as_bytes(ranged), *signature.signer, cms_options);
  } catch (const Error& e) {
    std::vector<std::string> causes{e.full_message()};
    throw Error("render.sign", "the PDF could not be signed", causes);
  }
  if (cms.size() > kSignatureReserve)
    throw Error("render.sign", "the CMS signature (" + std::to_string(cms.size()) +
                                   " bytes) does not fit the room reserved in the PDF");
  signer.SetSignature(PdfData(reinterpret_cast<const char*>(cms.data()), cms.size()));
  signer.Flush();
  const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.GetBuffer());
  return Bytes(data, data + device.GetLength());
}

std::unique_ptr<PdfMemDocument> new_document() {
  static std::mutex construction;
  std::lock_guard lock(construction);
  return std::make_unique<PdfMemDocument>();
}

void silence_podofo_log() {
  static std::once_flag once;
  std::call_once(once, [] {
    PdfError::EnableLogging(false);
    PdfError::EnableDebug(false);
  });
}

dsig::VerificationReport verify_pdf(ByteView pdf, const dsig::VerifyOptions& options) {
  silence_podofo_log();
  dsig::VerificationReport report;
  report.format = "pdf";
  std::vector<SignatureDictionary> signatures;
  try {
    signatures = find_signatures(pdf);
  } catch (const PdfError& e) {
    report.malformed = true;
    report.fail({"pdf.unreadable", {{"detail", describe(e)}}});
    report.conclude();
    return report;
  }
  if (signatures.empty()) report.fail({"pdf.no_signature", {}});
  if (signatures.size() > options.max_signatures) {
    report.malformed = true;
    report.fail({"pdf.too_many_signatures",
                 {{"count", std::to_string(signatures.size())}, {"limit", std::to_string(options.max_signatures)}}});
    report.conclude();
    return report;
  }

  for (std::size_t i = 0; i < signatures.size(); ++i) {
    const SignatureDictionary& sig = signatures[i];
    const std::string number = std::to_string(i + 1);
    auto failed = [&](dsig::Problem problem) {
      dsig::SignatureReport s;
      s.record(std::move(problem));
      s.conclude();
      report.signatures.push_back(std::move(s));
    };
    auto coded = [&](const char* code) { return dsig::describe({code, {{"signature", number}}}); };
    const auto& r = sig.byte_range;
    if (r.size() != 4 || r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 ||
        static_cast<unsigned long long>(r[2] + r[3]) > pdf.size()) {
      failed(coded("pdf.byte_range_invalid"));
      continue;
    }
    const auto gap_begin = static_cast<std::size_t>(r[1]);
    const auto gap_end = static_cast<std::size_t>(r[2]);
    if (pdf[gap_begin] != '<' || pdf[gap_end - 1] != '>') {
      failed(coded("pdf.gap_not_contents"));
      continue;
    }
    bool hex = true;
    for (std::size_t p = gap_begin + 1; p + 1 < gap_end && hex; ++p) hex = is_hex(pdf[p]);
    if (!hex) {
      failed(coded("pdf.gap_not_contents"));
      continue;
    }
    auto contents = hex_decode(as_chars(pdf.subspan(gap_begin + 1, gap_end - gap_begin - 2)));
    const std::size_t der_size = contents ? der_length(*contents) : 0;
    if (der_size == 0) {
      failed(coded("pdf.contents_not_cms"));
      continue;
    }
    contents->resize(der_size);
    Bytes signed_bytes(pdf.begin(), pdf.begin() + static_cast<std::ptrdiff_t>(gap_begin));
    signed_bytes.insert(signed_bytes.end(), pdf.begin() + static_cast<std::ptrdiff_t>(gap_end),
                        pdf.begin() + static_cast<std::ptrdiff_t>(r[2] + r[3]));

    dsig::VerificationReport cms = dsig::verify_cms(*contents, ByteView(signed_bytes), options);
    if (cms.signatures.empty()) {
      failed(cms.problems.empty()
                 ? coded("pdf.cms_unreadable")
                 : dsig::describe({"pdf.cms_unreadable_because", {{"signature", number}}}, cms.problems.front()));
      continue;
    }
    for (auto& s : cms.signatures) {
      if (static_cast<std::size_t>(r[2] + r[3]) != pdf.size())
        s.fail(
            {"pdf.range_not_whole_file",
             {{"signature", number}, {"covered", std::to_string(r[2] + r[3])}, {"size", std::to_string(pdf.size())}}});
      if (sig.sub_filter != "ETSI.CAdES.detached" && sig.sub_filter != "adbe.pkcs7.detached")
        s.fail({"pdf.unsupported_subfilter", {{"signature", number}, {"subfilter", sig.sub_filter}}});
      if (!s.signing_time && sig.claimed_time) s.signing_time = sig.claimed_time;
      for (const auto& p : cms.problems) s.record(p);
      s.conclude();
      report.signatures.push_back(std::move(s));
    }
  }
  report.conclude();
  return report;
}

}  // namespace qujat::render
