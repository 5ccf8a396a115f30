#include "qujat/dsig/xmldsig.h"

#include "dsig/xml_names.h"
#include "dsig/xml_signature.h"
#include "dsig/xmlsec_kz.h"
#include "qujat/common/error.h"
#include "qujat/dsig/signer_check.h"
#include "qujat/pki/digest.h"
#include "qujat/xml/c14n.h"

namespace qujat::dsig {

namespace {

using NodePtr = UniquePtr<xmlNode, xmlFreeNode>;

// Kalkan writes base64 in 76-character lines with CR LF between them.
std::string kalkan_base64(ByteView data) { return base64_encode_wrapped(data, 76, "\r\n"); }

}  // namespace

VerificationReport verify_xml(std::string_view text, const VerifyOptions& options) {
  VerificationReport report;
  report.format = "xmldsig";
  std::optional<xml::Document> doc;
  try {
    doc.emplace(xml::Document::parse(text, options.xml_limits));
  } catch (const Error& e) {
    report.malformed = true;
    report.fail(finding_of(e));
    report.conclude();
    return report;
  }
  // Declared after `doc`: unlinked co-signatures are freed before the document.
  std::vector<NodePtr> unlinked;

  std::vector<xmlNode*> nodes;
  if (xml::is_element(doc->root(), names::kDsig, "Signature")) nodes.push_back(doc->root());
  for (auto* n : xml::descendants(doc->root(), names::kDsig, "Signature")) nodes.push_back(n);
  if (nodes.empty()) {
    report.malformed = true;
    report.fail({"xmldsig.no_signature", {}});
    report.conclude();
    return report;
  }
  if (nodes.size() > options.max_signatures) {
    report.malformed = true;
    report.fail({"xmldsig.too_many_signatures",
                 {{"count", std::to_string(nodes.size())}, {"limit", std::to_string(options.max_signatures)}}});
    report.conclude();
    return report;
  }
  if (nodes.front() == doc->root()) {
    report.malformed = true;
    report.fail({"xmldsig.detached", {}});
    report.conclude();
    return report;
  }

  // Read every signature before touching the tree.
  std::vector<std::optional<XmlSignature>> sigs(nodes.size());
  report.signatures.resize(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    auto& r = report.signatures[i];
    try {
      sigs[i] = read_signature(*doc, nodes[i], options);
      if (sigs[i]->algorithm) r.algorithm = std::string(pki::name(*sigs[i]->algorithm));
    } catch (const Error& e) {
      report.malformed = true;
      r.fail(finding_of(e, {{"signature", number}}));
      continue;
    }
    if (options.require_whole_document) {
      bool whole = false;
      for (const auto& ref : sigs[i]->references) whole = whole || ref.target == doc->root();
      const std::string root = reinterpret_cast<const char*>(doc->root()->name);
      if (!whole) r.fail({"xmldsig.not_whole_document", {{"signature", number}, {"element", root}}});
    }
  }

  std::size_t total_references = 0;
  for (const auto& sig : sigs) total_references += sig ? sig->references.size() : 0;
  if (total_references > options.max_total_references) {
    report.malformed = true;
    report.fail(
        {"xmldsig.too_many_references",
         {{"count", std::to_string(total_references)}, {"limit", std::to_string(options.max_total_references)}}});
    report.conclude();
    return report;
  }

  // NCALayer co-signing: signature i was made before i+1.. were appended, so
  // check from the last one backwards, taking each out after its check.
  for (std::size_t k = nodes.size(); k-- > 0;) {
    auto& r = report.signatures[k];
    if (sigs[k]) {
      const std::string label = "signature " + std::to_string(k + 1);
      const XmlSignature& sig = *sigs[k];
      const pki::Certificate& cert = sig.certificates.front();
      try {
        if (sig.unsupported) {
          // Not computed, so neither valid nor forged; who signed is still checked.
          Finding why = *sig.unsupported;
          why.params.try_emplace("signature", std::to_string(k + 1));
          r.cannot_check(why);
        } else {
          check_cryptography(*doc, sig, cert.public_key(), label, r);
        }
      } catch (const Error& e) {
        r.cryptographic_valid = false;
        r.fail(finding_of(e, {{"signature", std::to_string(k + 1)}}));
      }
      std::vector<pki::Certificate> extra(sig.certificates.begin() + 1, sig.certificates.end());
      verify_signer_certificate(cert, extra, options, r);
      r.conclude();
    } else {
      r.conclude();
    }
    xmlUnlinkNode(nodes[k]);
    unlinked.emplace_back(nodes[k]);
  }
  report.conclude();
  return report;
}

std::string sign_xml(std::string_view text, const pki::KeyStore& signer, const XmlSignOptions& options) {
  xml::Document doc = xml::Document::parse(text, options.xml_limits);
  const pki::SignatureAlgorithm algorithm = options.algorithm.value_or(signer.key.default_signature());
  const pki::DigestAlgorithm digest_algorithm = pki::digest_of(algorithm);

  xmlNode* target = doc.root();
  std::string uri;
  if (!options.reference_id.empty()) {
    target = doc.find_id(options.reference_id);
    if (target == nullptr)
      throw Error("dsig.sign", "no element has the ID '" + options.reference_id + "' to reference");
    uri = "#" + options.reference_id;
  }

  xmlNode* root = doc.root();
  xmlNode* signature = xmlNewDocNode(doc.native(), nullptr, BAD_CAST "Signature", nullptr);
  xmlAddChild(root, signature);
  xmlNs* ds = xmlNewNs(signature, BAD_CAST names::kDsig, BAD_CAST "ds");
  xmlSetNs(signature, ds);

  // NCALayer's layout: each element on its own line.
  auto add = [&](xmlNode* parent, const char* name) {
    xmlAddChild(parent, xmlNewDocText(doc.native(), BAD_CAST "\n"));
    return xmlNewChild(parent, ds, BAD_CAST name, nullptr);
  };
  auto close = [&](xmlNode* parent) { xmlAddChild(parent, xmlNewDocText(doc.native(), BAD_CAST "\n")); };
  auto set_text = [&](xmlNode* node, const std::string& value) {
    xmlAddChild(node, xmlNewDocTextLen(doc.native(), BAD_CAST value.data(), static_cast<int>(value.size())));
  };

  xmlNode* signed_info = add(signature, "SignedInfo");
  xmlNode* c14n = add(signed_info, "CanonicalizationMethod");
  xmlSetProp(c14n, BAD_CAST "Algorithm", BAD_CAST xml::uri(xml::C14nMethod::Inclusive));
  xmlNode* method = add(signed_info, "SignatureMethod");
  xmlSetProp(method, BAD_CAST "Algorithm", BAD_CAST std::string(pki::signature_uri(algorithm)).c_str());
  xmlNode* reference = add(signed_info, "Reference");
  xmlSetProp(reference, BAD_CAST "URI", BAD_CAST uri.c_str());
  xmlNode* transforms = add(reference, "Transforms");
  xmlSetProp(add(transforms, "Transform"), BAD_CAST "Algorithm", BAD_CAST names::kEnveloped);
  xmlSetProp(add(transforms, "Transform"), BAD_CAST "Algorithm",
             BAD_CAST xml::uri(xml::C14nMethod::InclusiveWithComments));
  close(transforms);
  xmlNode* digest_method = add(reference, "DigestMethod");
  xmlSetProp(digest_method, BAD_CAST "Algorithm", BAD_CAST std::string(pki::digest_uri(digest_algorithm)).c_str());
  xmlNode* digest_value = add(reference, "DigestValue");
  close(reference);
  close(signed_info);
  xmlNode* signature_value = add(signature, "SignatureValue");
  xmlNode* key_info = add(signature, "KeyInfo");
  xmlNode* x509_data = add(key_info, "X509Data");
  xmlNode* x509_certificate = add(x509_data, "X509Certificate");
  close(x509_data);
  close(key_info);
  close(signature);

  // The reference: a same-document URI selects the node-set without
  // comments (XMLDSig 4.3.3.3), minus this enveloped signature.
  pki::Digest digest(digest_algorithm);
  xml::canonicalize_to(doc.native(), uri.empty() ? nullptr : target, xml::C14nMethod::Inclusive, {signature}, {},
                       [&digest](std::string_view chunk) { digest.update(as_bytes(chunk)); });
  set_text(digest_value, kalkan_base64(digest.finish()));

  std::string canonical = xml::canonicalize(doc.native(), signed_info, xml::C14nMethod::Inclusive);
  Bytes value = signer.key.sign(algorithm, as_bytes(canonical));
  set_text(signature_value, "\n" + kalkan_base64(value) + "\n");
  set_text(x509_certificate, "\n" + kalkan_base64(signer.certificate.der()) + "\n");
  return doc.serialize();
}

}  // namespace qujat::dsig
