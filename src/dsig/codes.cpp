// Every finding code `qujat verify` can report, with the params it fills.
// tests/dsig/verify_messages_test.cpp holds templates/messages/verify.json to
// this list: kk, ru and en for each code, no placeholder left unfilled.
#include "qujat/dsig/report.h"

namespace qujat::dsig {

const std::vector<CodeSpec>& verification_codes() {
  static const std::vector<CodeSpec> codes = {
      // xml/document.cpp: the input cannot be read safely (report level)
      {"xml.doctype.entity", {"entity"}},
      {"xml.doctype.external_dtd", {"dtd"}},
      {"xml.too_deep", {"limit", "element"}},
      {"xml.too_many_nodes", {"limit"}},
      {"xml.too_large", {"size", "limit"}},
      {"xml.duplicate_id", {"id", "first", "second"}},
      {"xml.malformed.empty", {}},
      {"xml.malformed.parser", {}},
      {"xml.malformed.not_well_formed", {"detail"}},
      {"xml.malformed.no_root", {}},
      // dsig/xmldsig.cpp
      {"xmldsig.no_signature", {}},
      {"xmldsig.too_many_signatures", {"count", "limit"}},
      {"xmldsig.detached", {}},
      {"xmldsig.too_many_references", {"count", "limit"}},
      {"xmldsig.not_whole_document", {"signature", "element"}},
      // dsig/xml_signature.cpp: reading a ds:Signature (signature level)
      {"dsig.malformed.nested_signature", {"signature"}},
      {"dsig.forbidden.retrieval_method", {"signature"}},
      {"dsig.unsupported.manifest", {"signature"}},
      {"dsig.malformed.signature_structure", {"signature"}},
      {"dsig.malformed.unexpected_element", {"signature", "element", "parent"}},
      {"dsig.malformed.base64", {"signature", "element"}},
      {"dsig.malformed.signed_info_structure", {"signature"}},
      {"dsig.unsupported.c14n", {"signature", "algorithm"}},
      {"dsig.unsupported.signature_method", {"signature", "algorithm"}},
      {"dsig.limits.references", {"signature", "count", "limit"}},
      {"dsig.forbidden.reference_without_uri", {"signature", "reference"}},
      {"dsig.malformed.reference_target", {"signature", "reference", "uri"}},
      {"dsig.forbidden.reference_uri", {"signature", "reference", "uri"}},
      {"dsig.limits.transforms", {"signature", "reference", "limit"}},
      {"dsig.forbidden.transform", {"signature", "reference", "algorithm"}},
      {"dsig.malformed.reference_structure", {"signature", "reference"}},
      {"dsig.unsupported.digest_method", {"signature", "reference", "algorithm"}},
      {"dsig.malformed.digest_base64", {"signature", "reference", "element"}},
      {"dsig.malformed.no_reference", {"signature"}},
      {"dsig.malformed.certificate", {"signature", "detail"}},
      {"dsig.malformed.no_certificate", {"signature"}},
      // dsig/xml_signature.cpp: the cryptographic check
      {"reference.digest_mismatch", {"signature", "reference", "uri"}},
      {"signature.value_mismatch", {"signature"}},
      {"signature.rejected", {"signature"}},
      {"signature.xmlsec_failed", {"signature", "detail"}},
      // an Error nobody worded (finding_of)
      {"signature.error", {"signature", "error", "detail"}},
      {"verify.error", {"error", "detail"}},
      // dsig/signer_check.cpp: the signer's certificate
      {"certificate.identity_unreadable", {"certificate", "serial", "detail"}},
      {"certificate.expired", {"certificate", "serial", "not_after", "at"}},
      {"certificate.authentication_only", {"certificate", "serial"}},
      {"certificate.not_yet_valid", {"certificate", "serial", "not_before", "at"}},
      {"chain.no_anchors", {}},
      {"chain.not_checked", {}},        // notice
      {"trust.default_nca", {"path"}},  // notice: the shipped NCA certificates were the trust anchors
      {"chain.untrusted", {"certificate", "serial"}},
      {"chain.ca_expired", {"certificate", "serial", "at"}},
      {"chain.ca_not_yet_valid", {"certificate", "serial", "at"}},
      {"chain.check_failed", {"certificate", "serial", "detail"}},
      // pki/chain.cpp
      {"chain.root_not_trusted", {"certificate"}},
      {"chain.issuer_signature", {"certificate", "issuer"}},
      {"chain.issuer_not_found", {"certificate", "issuer"}},
      {"chain.certificate_expired", {"certificate", "at", "not_before", "not_after"}},
      {"chain.certificate_not_yet_valid", {"certificate", "at", "not_before", "not_after"}},
      {"chain.not_ca", {"certificate"}},
      {"chain.no_key_cert_sign", {"certificate"}},
      // revocation (signer_check.cpp, pki/revocation.cpp); all but "revoked" are notices
      {"revocation.revoked", {"certificate", "serial", "since", "reason", "source"}},
      {"revocation.unknown", {"certificate", "serial"}},
      {"revocation.issuer_unknown", {"certificate", "serial"}},
      {"revocation.check_failed", {"detail"}},
      {"revocation.source_failed", {"detail"}},
      {"revocation.not_covered", {"serial"}},
      {"revocation.ocsp_status", {"source", "status"}},
      {"revocation.ocsp_malformed", {"source"}},
      {"revocation.ocsp_algorithm", {"source", "algorithm"}},
      {"revocation.ocsp_signature", {"source"}},
      {"revocation.ocsp_stale", {"source", "produced", "at"}},
      {"revocation.crl_signature", {"source"}},
      {"revocation.crl_stale", {"source", "next_update", "at"}},
      {"revocation.crl_after_expiry", {"source", "this_update", "not_after"}},
      // dsig/wssecurity.cpp
      {"wss.not_soap", {}},
      {"wss.no_body_or_security", {}},
      {"wss.body_count", {}},
      {"wss.signature_count", {}},
      {"wss.unreadable_signature", {}},
      {"wss.token_unreadable", {"detail"}},
      {"wss.no_certificate", {"signature"}},
      {"wss.reference_needs_certificate", {"signature", "form"}},
      {"wss.reference_not_matching", {"signature", "form"}},
      {"wss.token_reference_unresolved", {"signature", "uri"}},
      {"wss.unexpected_signer", {"signature", "certificate"}},
      {"wss.not_covered", {"signature", "element"}},
      {"wss.no_timestamp", {}},
      {"wss.timestamp_not_checked", {}},  // notice
      {"wss.timestamp_unreadable", {}},
      {"wss.timestamp_future", {"created"}},
      {"wss.timestamp_expired", {"expires", "at"}},
      // dsig/cms.cpp
      {"cms.nested_too_deep", {}},
      {"cms.not_der", {}},
      {"cms.too_large", {"limit"}},
      {"cms.unreadable", {}},
      {"cms.not_signed_data", {"content_type"}},
      {"cms.no_signer", {}},
      {"cms.too_many_signers", {"count", "limit"}},
      {"cms.signer_certificate_missing", {"signature"}},
      {"cms.unsupported_algorithm", {"signature", "digest", "algorithm"}},
      {"cms.no_message_digest", {"signature"}},
      {"cms.message_digest_mismatch", {"signature"}},
      {"cms.content_type_mismatch", {"signature"}},
      {"cms.signing_certificate_mismatch", {"signature"}},
      {"cms.unsupported_key", {"signature", "detail"}},
      {"cms.content_not_checked", {"signature"}},  // notice: detached CMS given without its content
      {"cms.content_missing", {"signature"}},
      {"cms.value_mismatch", {"signature", "certificate"}},
      {"cms.timestamp_invalid", {"signature"}},
      // dsig/cms.cpp: the RFC 3161 timestamp of a CMS signature
      {"timestamp.not_tst", {}},
      {"timestamp.no_tst_info", {}},
      {"timestamp.tst_info_unreadable", {}},
      {"timestamp.imprint_algorithm", {"algorithm"}},
      {"timestamp.imprint_mismatch", {}},
      {"timestamp.tsa_unsupported", {}},
      {"timestamp.tsa", {"detail"}},  // {detail}: the TSA signature's own message
      // render/pades.cpp (verify_pdf)
      {"pdf.unreadable", {"detail"}},
      {"pdf.no_signature", {}},
      {"pdf.too_many_signatures", {"count", "limit"}},
      {"pdf.byte_range_invalid", {"signature"}},
      {"pdf.gap_not_contents", {"signature"}},
      {"pdf.contents_not_cms", {"signature"}},
      {"pdf.cms_unreadable", {"signature"}},
      {"pdf.cms_unreadable_because", {"signature", "detail"}},  // {detail}: the CMS's own message
      {"pdf.range_not_whole_file", {"signature", "covered", "size"}},
      {"pdf.unsupported_subfilter", {"signature", "subfilter"}},
  };
  return codes;
}

}  // namespace qujat::dsig
