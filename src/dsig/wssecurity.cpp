#include "qujat/dsig/wssecurity.h"

#include "dsig/xml_names.h"
#include "dsig/xml_signature.h"
#include "dsig/xmlsec_kz.h"
#include "pki/openssl_memory.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/x509v3.h>
#include <xmlsec/templates.h>

#include "qujat/common/error.h"
#include "qujat/dsig/signer_check.h"
#include "qujat/pki/digest.h"
#include "qujat/xml/c14n.h"

namespace qujat::dsig {

namespace {

using xml::first_child_element;
using xml::is_element;

constexpr std::chrono::seconds kClockSkew{300};

std::string fresh_id(const xml::Document& doc, const std::string& base) {
  std::string id = base;
  for (int i = 2; doc.find_id(id) != nullptr; ++i) id = base + "-" + std::to_string(i);
  return id;
}

std::string wsu_id(const xmlNode* node) {
  const xml::XmlString raw(xmlGetNsProp(node, BAD_CAST "Id", BAD_CAST names::kWsu));
  return raw ? reinterpret_cast<const char*>(raw.get()) : "";
}

}  // namespace

std::string wss_sign(std::string_view soap, const pki::KeyStore& signer, const WssSignOptions& options) {
  xml::Document doc = xml::Document::parse(soap);
  xmlNode* envelope = doc.root();
  if (!is_element(envelope, names::kSoap11, "Envelope"))
    throw Error("wss.not_soap", "the document element is not a SOAP 1.1 Envelope");
  xmlNode* body = first_child_element(envelope, names::kSoap11, "Body");
  if (body == nullptr) throw Error("wss.not_soap", "the SOAP envelope has no Body");
  xmlNode* header = first_child_element(envelope, names::kSoap11, "Header");
  xmlNs* soap_ns = xmlSearchNsByHref(doc.native(), envelope, BAD_CAST names::kSoap11);
  if (header == nullptr) {
    header = xmlNewDocNode(doc.native(), soap_ns, BAD_CAST "Header", nullptr);
    xmlAddPrevSibling(body, header);
  }
  if (first_child_element(header, names::kWsse, "Security") != nullptr)
    throw Error("wss.already_signed", "the envelope already has a wsse:Security header");

  xmlNs* wsu_on_body = xmlSearchNsByHref(doc.native(), body, BAD_CAST names::kWsu);
  if (wsu_on_body == nullptr) wsu_on_body = xmlNewNs(body, BAD_CAST names::kWsu, BAD_CAST "wsu");
  std::string body_id = wsu_id(body);
  if (body_id.empty()) {
    body_id = fresh_id(doc, "id-body");
    xmlSetNsProp(body, wsu_on_body, BAD_CAST "Id", BAD_CAST body_id.c_str());
  }
  const std::string ts_id = fresh_id(doc, "id-timestamp");
  const std::string token_id = fresh_id(doc, "id-x509");

  xmlNode* security = xmlNewDocNode(doc.native(), nullptr, BAD_CAST "Security", nullptr);
  xmlAddChild(header, security);
  xmlNs* wsse = xmlNewNs(security, BAD_CAST names::kWsse, BAD_CAST "wsse");
  xmlNs* wsu = xmlNewNs(security, BAD_CAST names::kWsu, BAD_CAST "wsu");
  xmlSetNs(security, wsse);
  if (soap_ns != nullptr) xmlSetNsProp(security, soap_ns, BAD_CAST "mustUnderstand", BAD_CAST "1");

  const Instant created = options.created.value_or(now_utc());
  xmlNode* ts = xmlNewChild(security, wsu, BAD_CAST "Timestamp", nullptr);
  xmlSetNsProp(ts, wsu, BAD_CAST "Id", BAD_CAST ts_id.c_str());
  xmlNewTextChild(ts, wsu, BAD_CAST "Created", BAD_CAST format_instant_utc(created).c_str());
  xmlNewTextChild(ts, wsu, BAD_CAST "Expires",
                  BAD_CAST format_instant_utc(created + options.timestamp_lifetime).c_str());

  xmlNode* token = xmlNewTextChild(security, wsse, BAD_CAST "BinarySecurityToken",
                                   BAD_CAST base64_encode(signer.certificate.der()).c_str());
  xmlSetProp(token, BAD_CAST "EncodingType", BAD_CAST names::kBase64Binary);
  xmlSetProp(token, BAD_CAST "ValueType", BAD_CAST names::kX509v3);
  xmlSetNsProp(token, wsu, BAD_CAST "Id", BAD_CAST token_id.c_str());

  // The signature itself is made by xmlsec from a template, with our klasses
  // (the KZ/RSA algorithms computed by pki) and the same restricted context
  // verification uses.
  const pki::SignatureAlgorithm algorithm = signer.key.default_signature();
  kz::ensure_xmlsec();
  xmlNode* signature = xmlSecTmplSignatureCreateNsPref(doc.native(), xmlSecTransformExclC14NId,
                                                       kz::signature_klass(algorithm), nullptr, BAD_CAST "ds");
  if (signature == nullptr) throw Error("wss.sign", "cannot create the ds:Signature template");
  xmlAddChild(security, signature);
  for (const auto& id : {body_id, ts_id}) {
    xmlNode* ref = xmlSecTmplSignatureAddReference(signature, kz::digest_klass(pki::digest_of(algorithm)), nullptr,
                                                   BAD_CAST("#" + id).c_str(), nullptr);
    if (ref == nullptr || xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == nullptr)
      throw Error("wss.sign", "cannot create a ds:Reference");
  }
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  xmlNode* str = xmlNewChild(key_info, wsse, BAD_CAST "SecurityTokenReference", nullptr);
  xmlNode* ref = xmlNewChild(str, wsse, BAD_CAST "Reference", nullptr);
  xmlSetProp(ref, BAD_CAST "URI", BAD_CAST("#" + token_id).c_str());
  xmlSetProp(ref, BAD_CAST "ValueType", BAD_CAST names::kX509v3);

  // "#id" references resolve through libxml2's ID table.
  for (auto [id, node] : {std::pair<std::string, xmlNode*>{body_id, body}, {ts_id, ts}}) {
    xmlAttr* attr = xmlHasNsProp(node, BAD_CAST "Id", BAD_CAST names::kWsu);
    if (attr != nullptr && xmlGetID(doc.native(), BAD_CAST id.c_str()) == nullptr)
      xmlAddID(nullptr, doc.native(), BAD_CAST id.c_str(), attr);
  }

  kz::ErrorCapture capture;
  auto ctx = make_unique_ptr<xmlSecDSigCtxDestroy>(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) throw Error("wss.sign", "cannot create an xmlsec signature context");
  kz::restrict_context(*ctx);
  ctx->signKey = kz::make_sign_key(signer.key).release();
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0) throw Error("wss.sign", "xmlsec could not sign the envelope", capture.messages());
  return doc.serialize();
}

namespace {

// The forms of the X.509 Token Profile (1.0 and 1.1) a KeyInfo may use.
constexpr const char* kSkiValueType =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier";
constexpr const char* kThumbprintValueType =
    "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1";

Bytes subject_key_identifier(const pki::Certificate& c) {
  const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(c.native());
  if (ski == nullptr) return {};
  return Bytes(ASN1_STRING_get0_data(ski), ASN1_STRING_get0_data(ski) + ASN1_STRING_length(ski));
}

// What KeyInfo says about the signer's certificate.
struct KeyReference {
  std::optional<pki::Certificate> carried;  // a certificate the message itself holds
  std::string outside_form;                 // "SubjectKeyIdentifier", ... when it only names one
  bool names_expected = false;              // that name fits the expected certificate
};

// Resolves KeyInfo by the X.509 Token Profile: wsse:Reference to a
// BinarySecurityToken of this header, KeyIdentifier X509v3 (the certificate
// inline, as SmartBridge writes it), ds:X509Data/X509Certificate; and the
// forms that only name a certificate (SubjectKeyIdentifier, ThumbprintSHA1,
// X509IssuerSerial), matched against the expected one when given.
KeyReference resolve_key(const xml::Document& doc, const XmlSignature& sig, const xmlNode* security,
                         const std::optional<pki::Certificate>& expected, SignatureReport& r) {
  KeyReference k;
  if (!sig.certificates.empty()) k.carried = sig.certificates.front();  // X509Data/X509Certificate
  if (sig.key_info == nullptr) return k;
  auto by_name = [&](const std::string& form, bool matches) {
    if (k.outside_form.empty()) k.outside_form = form;
    k.names_expected = k.names_expected || matches;
  };
  for (auto* str : xml::child_elements(sig.key_info, names::kWsse, "SecurityTokenReference")) {
    for (auto* ref : xml::child_elements(str, names::kWsse, "Reference")) {
      const std::string uri = xml::attribute(ref, "URI");
      xmlNode* token = uri.size() > 1 && uri[0] == '#' ? doc.find_id(uri.substr(1)) : nullptr;
      if (!is_element(token, names::kWsse, "BinarySecurityToken") || token->parent != security) {
        r.fail({"wss.token_reference_unresolved", {{"signature", "1"}, {"uri", uri}}});
        continue;
      }
      auto der = base64_decode(xml::text_content(token));
      try {
        if (!der) throw Error("wss.token", "the token is not base64");
        if (!k.carried) k.carried = pki::Certificate::from_der(*der);
      } catch (const Error& e) {
        r.fail({"wss.token_unreadable", {{"detail", e.full_message()}}});
      }
    }
    for (auto* id : xml::child_elements(str, names::kWsse, "KeyIdentifier")) {
      const std::string type = xml::attribute(id, "ValueType");
      auto value = base64_decode(xml::text_content(id));
      if (type == names::kX509v3) {
        try {
          if (!value) throw Error("wss.token", "the KeyIdentifier is not base64");
          if (!k.carried) k.carried = pki::Certificate::from_der(*value);
        } catch (const Error& e) {
          r.fail({"wss.token_unreadable", {{"detail", e.full_message()}}});
        }
      } else if (type == kSkiValueType) {
        by_name("SubjectKeyIdentifier", expected && value && *value == subject_key_identifier(*expected));
      } else if (type == kThumbprintValueType) {
        by_name("ThumbprintSHA1",
                expected && value && *value == pki::digest(pki::DigestAlgorithm::Sha1, expected->der()));
      } else {
        by_name("KeyIdentifier " + type, false);
      }
    }
    for (auto* data : xml::child_elements(str, names::kDsig, "X509Data"))
      for (auto* issuer_serial : xml::child_elements(data, names::kDsig, "X509IssuerSerial")) {
        const std::string serial =
            xml::text_content(xml::first_child_element(issuer_serial, names::kDsig, "X509SerialNumber"));
        // The serial names the expected certificate; its key then has to verify the signature.
        bool matches = false;
        BIGNUM* parsed = nullptr;
        if (expected && !serial.empty() && serial.size() < 100 && BN_dec2bn(&parsed, serial.c_str()) > 0) {
          auto number = make_unique_ptr<BN_free>(parsed);
          const auto hex = make_unique_ptr<pki::free_openssl>(BN_bn2hex(number.get()));
          std::string text = hex ? hex.get() : "";
          for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          matches = !text.empty() && expected->serial_hex() == text;
        }
        by_name("X509IssuerSerial", matches);
      }
  }
  return k;
}

}  // namespace

WssVerification wss_verify_envelope(std::string_view soap, const VerifyOptions& options, const WssVerifyOptions& wss) {
  WssVerification out;
  VerificationReport& report = out.report;
  report.format = "wss";
  auto fail = [&](const Finding& finding) {
    report.malformed = true;
    report.fail(finding);
    report.conclude();
    return out;
  };
  std::optional<xml::Document> doc;
  try {
    doc.emplace(xml::Document::parse(soap, options.xml_limits));
  } catch (const Error& e) {
    return fail(finding_of(e));
  }
  xmlNode* envelope = doc->root();
  if (!is_element(envelope, names::kSoap11, "Envelope")) return fail({"wss.not_soap", {}});
  xmlNode* header = first_child_element(envelope, names::kSoap11, "Header");
  xmlNode* body = first_child_element(envelope, names::kSoap11, "Body");
  xmlNode* security = first_child_element(header, names::kWsse, "Security");
  if (body == nullptr || security == nullptr) return fail({"wss.no_body_or_security", {}});
  // A second Body would let a signed one sit beside the one a server reads.
  if (xml::child_elements(envelope, names::kSoap11, "Body").size() != 1) return fail({"wss.body_count", {}});
  auto signatures = xml::descendants(envelope, names::kDsig, "Signature");
  if (signatures.size() != 1 || signatures[0]->parent != security) return fail({"wss.signature_count", {}});
  xmlNode* timestamp = first_child_element(security, names::kWsu, "Timestamp");

  SignatureReport r;
  std::optional<XmlSignature> sig;
  try {
    sig = read_signature(*doc, signatures[0], options, false);
  } catch (const Error& e) {
    report.signatures.push_back(std::move(r));
    report.signatures.back().fail(finding_of(e, {{"signature", "1"}}));
    report.signatures.back().conclude();
    return fail({"wss.unreadable_signature", {}});
  }
  if (sig->algorithm) r.algorithm = std::string(pki::name(*sig->algorithm));

  const KeyReference key = resolve_key(*doc, *sig, security, wss.expected_signer, r);
  std::optional<pki::Certificate> cert = key.carried;
  if (wss.expected_signer) {
    if (cert && !cert->same_as(*wss.expected_signer))
      r.fail({"wss.unexpected_signer", {{"signature", "1"}, {"certificate", cert->subject()}}});
    else if (!cert && !key.outside_form.empty() && !key.names_expected)
      r.fail({"wss.reference_not_matching", {{"signature", "1"}, {"form", key.outside_form}}});
    else if (!cert && key.names_expected)
      cert = wss.expected_signer;
  }
  if (!cert) {
    if (!key.outside_form.empty() && !wss.expected_signer)
      r.fail({"wss.reference_needs_certificate", {{"signature", "1"}, {"form", key.outside_form}}});
    else if (key.outside_form.empty())
      r.fail({"wss.no_certificate", {{"signature", "1"}}});
    r.conclude();
    report.signatures.push_back(std::move(r));
    report.conclude();
    return out;
  }
  out.signer = cert;

  bool covers_body = false, covers_timestamp = false;
  for (const auto& ref : sig->references) {
    covers_body = covers_body || ref.target == body;
    covers_timestamp = covers_timestamp || (timestamp != nullptr && ref.target == timestamp);
  }
  if (!covers_body) r.fail({"wss.not_covered", {{"signature", "1"}, {"element", "soap:Body"}}});
  if (timestamp == nullptr) {
    if (wss.require_timestamp)
      r.fail({"wss.no_timestamp", {}});
    else
      r.note({"wss.timestamp_not_checked", {}});
  } else {
    if (!covers_timestamp) r.fail({"wss.not_covered", {{"signature", "1"}, {"element", "wsu:Timestamp"}}});
    const Instant at = options.effective_time();
    auto created = parse_instant(xml::text_content(first_child_element(timestamp, names::kWsu, "Created")));
    auto expires = parse_instant(xml::text_content(first_child_element(timestamp, names::kWsu, "Expires")));
    if (!created || !expires)
      r.fail({"wss.timestamp_unreadable", {}});
    else if (*created > at + kClockSkew)
      r.fail({"wss.timestamp_future", {{"created", format_instant_utc(*created)}}});
    else if (*expires <= at)
      r.fail({"wss.timestamp_expired", {{"expires", format_instant_utc(*expires)}, {"at", format_instant_utc(at)}}});
    if (created) r.signing_time = created;
  }
  try {
    if (sig->unsupported) {
      Finding why = *sig->unsupported;
      why.params.try_emplace("signature", "1");
      r.cannot_check(why);
    } else {
      check_cryptography(*doc, *sig, cert->public_key(), "signature 1", r);
    }
  } catch (const Error& e) {
    r.fail(finding_of(e, {{"signature", "1"}}));
  }
  // A transport signature is made by an information system, often with a
  // key meant for authentication: the document-signing-key rule is not its.
  VerifyOptions transport = options;
  transport.require_signing_key = false;
  // The expected certificate, with no anchors given, is the trust itself.
  if (wss.expected_signer && transport.trust.empty()) transport.trust.add_anchor(*wss.expected_signer);
  verify_signer_certificate(*cert, {}, transport, r);
  r.conclude();
  report.signatures.push_back(std::move(r));
  report.conclude();
  if (report.valid) {
    try {
      out.body = xml::canonicalize(doc->native(), body, xml::C14nMethod::Exclusive);
    } catch (const Error& e) {
      report.signatures.back().fail(finding_of(e, {{"signature", "1"}}));
      report.signatures.back().conclude();
      report.conclude();
    }
  }
  return out;
}

VerificationReport wss_verify(std::string_view soap, const VerifyOptions& options, const WssVerifyOptions& wss) {
  return wss_verify_envelope(soap, options, wss).report;
}

}  // namespace qujat::dsig
