#include "qujat/dsig/wssecurity.h"

#include "dsig/xml_names.h"
#include "dsig/xml_signature.h"
#include "dsig/xmlsec_kz.h"

#include <xmlsec/templates.h>
#include "qujat/common/error.h"
#include "qujat/dsig/signer_check.h"

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

VerificationReport wss_verify(std::string_view soap, const VerifyOptions& options) {
  VerificationReport report;
  report.format = "wss";
  auto fail = [&](const Finding& finding) {
    report.malformed = true;
    report.fail(finding);
    report.conclude();
    return report;
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
  r.algorithm = std::string(pki::name(sig->algorithm));

  std::optional<pki::Certificate> cert;
  if (!sig->certificates.empty()) cert = sig->certificates.front();
  for (auto* ref : xml::descendants(sig->key_info, names::kWsse, "Reference")) {
    std::string uri = xml::attribute(ref, "URI");
    xmlNode* token = uri.size() > 1 && uri[0] == '#' ? doc->find_id(uri.substr(1)) : nullptr;
    if (!is_element(token, names::kWsse, "BinarySecurityToken") || token->parent != security) continue;
    auto der = base64_decode(xml::text_content(token));
    try {
      if (der) cert = pki::Certificate::from_der(*der);
    } catch (const Error& e) {
      r.fail({"wss.token_unreadable", {{"detail", e.full_message()}}});
    }
  }
  if (!cert) {
    r.fail({"wss.no_certificate", {{"signature", "1"}}});
    r.conclude();
    report.signatures.push_back(std::move(r));
    report.conclude();
    return report;
  }

  bool covers_body = false, covers_timestamp = false;
  for (const auto& ref : sig->references) {
    covers_body = covers_body || ref.target == body;
    covers_timestamp = covers_timestamp || (timestamp != nullptr && ref.target == timestamp);
  }
  if (!covers_body) r.fail({"wss.not_covered", {{"signature", "1"}, {"element", "soap:Body"}}});
  if (timestamp == nullptr) {
    r.fail({"wss.no_timestamp", {}});
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
    check_cryptography(*doc, *sig, cert->public_key(), "signature 1", r);
  } catch (const Error& e) {
    r.fail(finding_of(e, {{"signature", "1"}}));
  }
  // A transport signature is made by an information system, often with a
  // key meant for authentication: the document-signing-key rule is not its.
  VerifyOptions transport = options;
  transport.require_signing_key = false;
  verify_signer_certificate(*cert, {}, transport, r);
  r.conclude();
  report.signatures.push_back(std::move(r));
  report.conclude();
  return report;
}

}  // namespace qujat::dsig
