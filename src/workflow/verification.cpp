#include "qujat/workflow/verification.h"

#include <string_view>

#include "qujat/dsig/cms.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/render/pdf.h"

namespace qujat::workflow {

SignedFormat detect_signed_format(ByteView data) {
  std::string_view text = as_chars(data);
  if (text.substr(0, 4) == "%PDF") return SignedFormat::pdf;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '<') return SignedFormat::cms;
  const auto head = text.substr(0, 4096);
  if (head.find("http://schemas.xmlsoap.org/soap/envelope/") != std::string_view::npos &&
      head.find(":Envelope") != std::string_view::npos)
    return SignedFormat::soap;
  return SignedFormat::xml;
}

dsig::VerificationReport verify_signed_file(ByteView file, const dsig::VerifyOptions& options,
                                            std::optional<ByteView> detached_content) {
  switch (detect_signed_format(file)) {
    case SignedFormat::xml: return dsig::verify_xml(as_chars(file), options);
    case SignedFormat::soap: {
      // A file brought for checking, not a live exchange: a missing
      // wsu:Timestamp is a notice, not a failure (a present one is checked).
      dsig::WssVerifyOptions as_file;
      as_file.require_timestamp = false;
      return dsig::wss_verify(as_chars(file), options, as_file);
    }
    case SignedFormat::pdf: return render::verify_pdf(file, options);
    case SignedFormat::cms: break;
  }
  return dsig::verify_cms(file, detached_content, options);
}

}  // namespace qujat::workflow
