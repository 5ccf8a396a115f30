#include "qujat/dsig/cms.h"

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>

#include "dsig/certificate_cache.h"
#include "pki/der.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/dsig/signer_check.h"
#include "qujat/pki/digest.h"

namespace qujat::dsig {

namespace {

namespace der = pki::der;

constexpr const char* kOidSignedData = "1.2.840.113549.1.7.2";
constexpr const char* kOidContentType = "1.2.840.113549.1.9.3";
constexpr const char* kOidMessageDigest = "1.2.840.113549.1.9.4";
constexpr const char* kOidSigningTime = "1.2.840.113549.1.9.5";
constexpr const char* kOidTimeStampToken = "1.2.840.113549.1.9.16.2.14";
constexpr const char* kOidTstInfo = "1.2.840.113549.1.9.16.1.4";
constexpr const char* kOidSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
// Attached CMS may carry whole documents; the same bound as read_file.
constexpr std::size_t kMaxCmsBytes = 64u << 20;

// DER as is; otherwise base64 (PEM armour lines and whitespace ignored).
std::optional<Bytes> to_der(ByteView input) {
  if (input.empty()) return std::nullopt;
  if (input[0] == 0x30) return Bytes(input.begin(), input.end());
  std::string text(as_chars(input));
  std::string body;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (line.rfind("-----", 0) != 0) body += line;
    pos = end + 1;
  }
  auto decoded = base64_decode(body);
  if (!decoded || decoded->empty() || (*decoded)[0] != 0x30) return std::nullopt;
  return decoded;
}

template <class T, int (*I2d)(const T*, unsigned char**)>
Bytes encode(const T* object) {
  int len = I2d(object, nullptr);
  if (len <= 0) throw OpenSslError("cms.encode", "cannot encode a CMS element");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  I2d(object, &p);
  return out;
}

std::string oid_of(const ASN1_OBJECT* o) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, o, 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(std::min<int>(n, sizeof buf - 1))) : std::string();
}

Bytes integer(long v) {
  auto i = make_unique_ptr<ASN1_INTEGER_free>(ASN1_INTEGER_new());
  ASN1_INTEGER_set(i.get(), v);
  return encode<ASN1_INTEGER, i2d_ASN1_INTEGER>(i.get());
}

Bytes algorithm_identifier(std::string_view oid, bool null_parameters) {
  static const std::uint8_t null_der[] = {0x05, 0x00};
  Bytes o = der::oid(oid);
  return der::sequence(null_parameters ? der::concat({o, ByteView(null_der)}) : o);
}

Bytes time_der(Instant t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  // ASN1_TIME_set picks UTCTime for 1950..2049 as RFC 5652 requires.
  auto at = make_unique_ptr<ASN1_TIME_free>(ASN1_TIME_set(nullptr, tt));
  if (!at) throw OpenSslError("cms.encode", "cannot encode signingTime");
  return encode<ASN1_TIME, i2d_ASN1_TIME>(at.get());
}

Bytes attribute(std::string_view oid, ByteView value) { return der::sequence(der::concat({der::oid(oid), der::tlv(0x31, value)})); }

// DER SET OF: elements sorted by their encodings.
Bytes set_of(std::vector<Bytes> elements, std::uint8_t tag = 0x31) {
  std::sort(elements.begin(), elements.end());
  Bytes content;
  for (const auto& e : elements) content.insert(content.end(), e.begin(), e.end());
  return der::tlv(tag, content);
}

bool is_rsa(pki::SignatureAlgorithm a) {
  return a == pki::SignatureAlgorithm::RsaSha256 || a == pki::SignatureAlgorithm::RsaSha1;
}

// ESSCertIDv2 of `cert`: hashAlgorithm (omitted when SHA-256, its DEFAULT),
// certHash, issuerSerial.
Bytes ess_cert_id_v2(const pki::Certificate& cert, pki::DigestAlgorithm dalg) {
  X509* x = cert.native();
  Bytes hash = pki::digest(dalg, cert.der());
  Bytes issuer_serial = der::sequence(der::concat(
      {der::sequence(der::tlv(0xA4, encode<X509_NAME, i2d_X509_NAME>(X509_get_issuer_name(x)))),
       encode<ASN1_INTEGER, i2d_ASN1_INTEGER>(X509_get0_serialNumber(x))}));
  Bytes alg = dalg == pki::DigestAlgorithm::Sha256 ? Bytes{} : algorithm_identifier(pki::digest_oid(dalg), false);
  return der::sequence(der::concat({alg, der::octet_string(hash), issuer_serial}));
}

struct BuiltSigner {
  Bytes signer_info;
  Bytes digest_algorithm;
};

BuiltSigner build_signer_info(ByteView content, const pki::KeyStore& signer, const CmsSignOptions& options) {
  const pki::SignatureAlgorithm alg = options.algorithm.value_or(signer.key.default_signature());
  const pki::DigestAlgorithm dalg = pki::digest_of(alg);
  Bytes md = pki::digest(dalg, content);
  std::vector<Bytes> attrs = {attribute(kOidContentType, der::oid(options.content_type))};
  if (options.signing_time_attribute)
    attrs.push_back(attribute(kOidSigningTime, time_der(options.signing_time.value_or(now_utc()))));
  attrs.push_back(attribute(kOidMessageDigest, der::octet_string(md)));
  if (options.signing_certificate_v2)
    attrs.push_back(attribute(kOidSigningCertificateV2,
                              der::sequence(der::sequence(ess_cert_id_v2(signer.certificate, dalg)))));
  Bytes signed_attrs = set_of(attrs);
  Bytes signature = signer.key.sign(alg, signed_attrs);
  signed_attrs[0] = 0xA0;  // [0] IMPLICIT in the SignerInfo; signed as SET (RFC 5652 5.4)

  X509* cert = signer.certificate.native();
  Bytes sid = der::sequence(der::concat({encode<X509_NAME, i2d_X509_NAME>(X509_get_issuer_name(cert)),
                                         encode<ASN1_INTEGER, i2d_ASN1_INTEGER>(X509_get0_serialNumber(cert))}));
  Bytes digest_alg = algorithm_identifier(pki::digest_oid(dalg), false);
  Bytes unsigned_attrs;
  if (options.timestamp_token) {
    unsigned_attrs = set_of({attribute(kOidTimeStampToken, *options.timestamp_token)}, 0xA1);
  }
  Bytes v1 = integer(1), sig_alg = algorithm_identifier(pki::signature_oid(alg), is_rsa(alg)),
        sig_octets = der::octet_string(signature);
  Bytes si = der::concat({v1, sid, digest_alg, signed_attrs, sig_alg, sig_octets});
  if (!unsigned_attrs.empty()) si.insert(si.end(), unsigned_attrs.begin(), unsigned_attrs.end());
  return {der::sequence(si), digest_alg};
}

Bytes content_info(ByteView signed_data) {
  return der::sequence(der::concat({der::oid(kOidSignedData), der::tlv(0xA0, signed_data)}));
}

// ---- verification ----------------------------------------------------------

void free_certificates(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }

std::string serial_hex(const ASN1_INTEGER* serial) {
  auto bn = make_unique_ptr<BN_free>(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  return out;
}

// The first ESSCertIDv2 of a signingCertificateV2 attribute must hash to `cert`.
bool signing_certificate_matches(X509_ATTRIBUTE* attribute, const pki::Certificate& cert) {
  ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attribute, 0);
  if (t == nullptr || t->type != V_ASN1_SEQUENCE) return false;
  ByteView in(t->value.sequence->data, static_cast<std::size_t>(t->value.sequence->length));
  auto outer = der::read(in);
  auto certs = outer ? der::children(*outer) : std::nullopt;
  auto ids = certs && !certs->empty() ? der::children(certs->front()) : std::nullopt;
  if (!ids || ids->empty()) return false;
  auto fields = der::children(ids->front());
  if (!fields || fields->empty()) return false;
  std::size_t k = 0;
  pki::DigestAlgorithm alg = pki::DigestAlgorithm::Sha256;
  if ((*fields)[0].tag == 0x30) {
    auto alg_parts = der::children((*fields)[0]);
    if (!alg_parts || alg_parts->empty()) return false;
    auto d = pki::digest_from_oid(der::oid_text((*alg_parts)[0].content));
    if (!d) return false;
    alg = *d;
    ++k;
  }
  if (k >= fields->size() || (*fields)[k].tag != 0x04) return false;
  Bytes expected = pki::digest(alg, cert.der());
  ByteView got = (*fields)[k].content;
  return std::equal(expected.begin(), expected.end(), got.begin(), got.end());
}

std::optional<pki::SignatureAlgorithm> signature_algorithm(const std::string& sig_oid, pki::DigestAlgorithm digest,
                                                           const pki::Certificate& cert) {
  if (cert.key_algorithm() == pki::KeyAlgorithm::Unknown) return std::nullopt;
  if (cert.key_algorithm() == pki::KeyAlgorithm::Rsa) {
    if (digest == pki::DigestAlgorithm::Sha256) return pki::SignatureAlgorithm::RsaSha256;
    if (digest == pki::DigestAlgorithm::Sha1) return pki::SignatureAlgorithm::RsaSha1;
    return std::nullopt;
  }
  if (auto a = pki::signature_from_oid(sig_oid); a && pki::digest_of(*a) == digest) return a;
  // Some signers put the key's OID here; the key and the digest decide.
  auto a = pki::default_signature(cert.key_algorithm());
  if (pki::digest_of(a) == digest) return a;
  return std::nullopt;
}

VerificationReport verify_cms_impl(ByteView input, std::optional<ByteView> detached, const VerifyOptions& options,
                                   int depth);

TimestampReport check_timestamp(ByteView token, ByteView signature_value, const VerifyOptions& options, int depth) {
  TimestampReport t;
  t.status = "invalid";
  const unsigned char* p = token.data();
  auto cms = make_unique_ptr<CMS_ContentInfo_free>(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(token.size())));
  clear_openssl_errors();
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed ||
      oid_of(CMS_get0_eContentType(cms.get())) != kOidTstInfo) {
    t.fail({"timestamp.not_tst", {}});
    return t;
  }
  ASN1_OCTET_STRING** content = CMS_get0_content(cms.get());
  if (content == nullptr || *content == nullptr) {
    t.fail({"timestamp.no_tst_info", {}});
    return t;
  }
  const unsigned char* q = ASN1_STRING_get0_data(*content);
  auto tst = make_unique_ptr<TS_TST_INFO_free>(d2i_TS_TST_INFO(nullptr, &q, ASN1_STRING_length(*content)));
  if (!tst) {
    clear_openssl_errors();
    t.fail({"timestamp.tst_info_unreadable", {}});
    return t;
  }
  t.gen_time = der::instant_from_asn1(TS_TST_INFO_get_time(tst.get()));
  t.policy = oid_of(TS_TST_INFO_get_policy_id(tst.get()));
  t.serial_hex = serial_hex(TS_TST_INFO_get_serial(tst.get()));
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(tst.get());
  t.hash_algorithm = oid_of(TS_MSG_IMPRINT_get_algo(imprint)->algorithm);
  ASN1_OCTET_STRING* imprint_value = TS_MSG_IMPRINT_get_msg(imprint);

  auto hash = pki::digest_from_oid(t.hash_algorithm);
  if (!hash) {
    t.status = "indeterminate";
    t.fail({"timestamp.imprint_algorithm", {{"algorithm", t.hash_algorithm}}});
  } else {
    Bytes expected = pki::digest(*hash, signature_value);
    ByteView got(ASN1_STRING_get0_data(imprint_value), static_cast<std::size_t>(ASN1_STRING_length(imprint_value)));
    if (!std::equal(expected.begin(), expected.end(), got.begin(), got.end())) {
      t.fail({"timestamp.imprint_mismatch", {}});
      return t;
    }
  }
  VerifyOptions tsa_options = options;
  tsa_options.at = t.gen_time;
  VerificationReport tsa = verify_cms_impl(token, std::nullopt, tsa_options, depth + 1);
  if (!tsa.signatures.empty() && tsa.signatures[0].certificate) t.tsa = tsa.signatures[0].certificate->subject();
  bool unsupported = false;
  for (const auto& s : tsa.signatures) unsupported = unsupported || s.cryptographic_indeterminate;
  if (t.status == "indeterminate") {
    // already decided: the imprint could not be checked
  } else if (unsupported) {
    t.status = "indeterminate";
    t.fail({"timestamp.tsa_unsupported", {}});
  } else if (!tsa.signatures.empty() && tsa.signatures[0].cryptographic_valid &&
             tsa.signatures[0].chain != ChainStatus::Untrusted) {
    t.status = "valid";
  } else {
    t.status = "invalid";
    for (const auto& s : tsa.signatures)
      for (const auto& p : s.problems) t.record(describe({"timestamp.tsa", {}}, p));
  }
  return t;
}

VerificationReport verify_cms_impl(ByteView input, std::optional<ByteView> detached, const VerifyOptions& options,
                                   int depth) {
  VerificationReport report;
  report.format = "cms";
  auto fail = [&](const Finding& finding) {
    report.malformed = true;
    report.fail(finding);
    report.conclude();
    return report;
  };
  if (depth > 2) return fail({"cms.nested_too_deep", {}});
  auto bytes = to_der(input);
  if (!bytes) return fail({"cms.not_der", {}});
  if (bytes->size() > kMaxCmsBytes) return fail({"cms.too_large", {{"limit", "64 MiB"}}});
  const unsigned char* p = bytes->data();
  auto cms = make_unique_ptr<CMS_ContentInfo_free>(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes->size())));
  if (!cms) {
    clear_openssl_errors();
    return fail({"cms.unreadable", {}});
  }
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed)
    return fail({"cms.not_signed_data", {{"content_type", oid_of(CMS_get0_type(cms.get()))}}});

  Bytes content;
  // A detached CMS given without its content still says who signed and
  // whether the signature over the signed attributes holds; the content
  // itself is then not checked, so no signer can be more than INDETERMINATE.
  bool have_content = true;
  ASN1_OCTET_STRING** attached = CMS_get0_content(cms.get());
  if (attached != nullptr && *attached != nullptr) {
    // An attached CMS is checked against its own content; detached content given as well is ignored.
    content.assign(ASN1_STRING_get0_data(*attached), ASN1_STRING_get0_data(*attached) + ASN1_STRING_length(*attached));
  } else if (detached) {
    content.assign(detached->begin(), detached->end());
  } else {
    have_content = false;
  }
  const std::string econtent_type = oid_of(CMS_get0_eContentType(cms.get()));

  std::vector<pki::Certificate> certs;
  {
    auto stack = make_unique_ptr<free_certificates>(CMS_get1_certs(cms.get()));
    for (int i = 0; stack && i < sk_X509_num(stack.get()); ++i) {
      // An unreadable extra certificate is no reason to reject the CMS; a
      // signer whose own certificate is unreadable is reported as such below.
      try {
        certs.push_back(certificate_from_der(encode<X509, i2d_X509>(sk_X509_value(stack.get(), i))));
      } catch (const Error&) {
        continue;
      }
    }
  }

  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  const int count = infos != nullptr ? sk_CMS_SignerInfo_num(infos) : 0;
  if (count == 0) return fail({"cms.no_signer", {}});
  if (static_cast<std::size_t>(count) > options.max_signatures)
    return fail({"cms.too_many_signers",
                 {{"count", std::to_string(count)}, {"limit", std::to_string(options.max_signatures)}}});

  for (int i = 0; i < count; ++i) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, i);
    SignatureReport r;
    const std::string number = std::to_string(i + 1);
    const pki::Certificate* cert = nullptr;
    for (const auto& c : certs)
      if (CMS_SignerInfo_cert_cmp(si, c.native()) == 0) cert = &c;
    clear_openssl_errors();
    X509_ALGOR* dig = nullptr;
    X509_ALGOR* sig = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &dig, &sig);
    const std::string dig_oid = dig != nullptr ? oid_of(dig->algorithm) : "";
    const std::string sig_oid = sig != nullptr ? oid_of(sig->algorithm) : "";
    ASN1_OCTET_STRING* sv = CMS_SignerInfo_get0_signature(si);
    ByteView signature_value(ASN1_STRING_get0_data(sv), static_cast<std::size_t>(ASN1_STRING_length(sv)));

    if (int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1); idx >= 0) {
      ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
      if (t != nullptr && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
        r.signing_time = der::instant_from_asn1(t->value.utctime);
    }
    if (int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1); idx >= 0) {
      ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0);
      if (t != nullptr && t->type == V_ASN1_SEQUENCE) {
        ByteView token(t->value.sequence->data, static_cast<std::size_t>(t->value.sequence->length));
        r.timestamp = check_timestamp(token, signature_value, options, depth);
      }
    }

    if (cert == nullptr) {
      r.fail({"cms.signer_certificate_missing", {{"signature", number}}});
      r.conclude();
      report.signatures.push_back(std::move(r));
      continue;
    }
    auto dalg = pki::digest_from_oid(dig_oid);
    std::optional<pki::SignatureAlgorithm> salg;
    if (dalg) salg = signature_algorithm(sig_oid, *dalg, *cert);
    if (salg) r.algorithm = std::string(pki::name(*salg));
    const int nattrs = CMS_signed_get_attr_count(si);

    if (!salg) {
      r.cannot_check(
          {"cms.unsupported_algorithm", {{"signature", number}, {"digest", dig_oid}, {"algorithm", sig_oid}}});
    } else if (!have_content && nattrs <= 0) {
      r.cannot_check({"cms.content_missing", {{"signature", number}}});
    } else {
      bool digest_ok = true;
      Bytes signed_bytes;
      if (nattrs > 0) {
        ASN1_OCTET_STRING* md = static_cast<ASN1_OCTET_STRING*>(
            CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
        if (md == nullptr) {
          digest_ok = false;
          r.fail({"cms.no_message_digest", {{"signature", number}}});
        } else if (have_content) {
          Bytes expected = pki::digest(*dalg, content);
          if (!std::equal(expected.begin(), expected.end(), ASN1_STRING_get0_data(md),
                          ASN1_STRING_get0_data(md) + ASN1_STRING_length(md))) {
            digest_ok = false;
            r.fail({"cms.message_digest_mismatch", {{"signature", number}}});
          }
        }
        ASN1_OBJECT* ct = static_cast<ASN1_OBJECT*>(
            CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT));
        if (ct == nullptr || oid_of(ct) != econtent_type) {
          digest_ok = false;
          r.fail({"cms.content_type_mismatch", {{"signature", number}}});
        }
        auto ess_oid = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj(kOidSigningCertificateV2, 1));
        if (int idx = CMS_signed_get_attr_by_OBJ(si, ess_oid.get(), -1); idx >= 0)
          if (!signing_certificate_matches(CMS_signed_get_attr(si, idx), *cert)) {
            digest_ok = false;
            r.fail({"cms.signing_certificate_mismatch", {{"signature", number}}});
          }
        // The signature covers the DER of the attributes as a SET, in the order received.
        Bytes attrs;
        for (int k = 0; k < nattrs; ++k) {
          Bytes a = encode<X509_ATTRIBUTE, i2d_X509_ATTRIBUTE>(CMS_signed_get_attr(si, k));
          attrs.insert(attrs.end(), a.begin(), a.end());
        }
        signed_bytes = der::tlv(0x31, attrs);
      } else {
        signed_bytes = content;
      }
      bool value_ok = false, computed = true;
      try {
        value_ok = cert->public_key().verify(*salg, signed_bytes, signature_value);
      } catch (const Error& e) {
        computed = false;
        r.cannot_check({"cms.unsupported_key", {{"signature", number}, {"detail", e.full_message()}}});
      }
      if (computed && !value_ok)
        r.fail({"cms.value_mismatch", {{"signature", number}, {"certificate", cert->subject()}}});
      if (computed && value_ok && digest_ok && !have_content) {
        // The signed attributes are genuine; the content they name was not seen.
        r.cryptographic_indeterminate = true;
        r.note({"cms.content_not_checked", {{"signature", number}}});
      } else {
        r.cryptographic_valid = computed && digest_ok && value_ok;
      }
    }
    if (r.timestamp && r.timestamp->status == "invalid") r.fail({"cms.timestamp_invalid", {{"signature", number}}});
    std::vector<pki::Certificate> others;
    for (const auto& c : certs)
      if (!c.same_as(*cert)) others.push_back(c);
    verify_signer_certificate(*cert, others, options, r);
    r.conclude();
    report.signatures.push_back(std::move(r));
  }
  report.conclude();
  return report;
}

}  // namespace

Bytes cms_sign(ByteView content, const pki::KeyStore& signer, const CmsSignOptions& options) {
  BuiltSigner built = build_signer_info(content, signer, options);
  Bytes encap = der::oid(options.content_type);
  if (!options.detached) {
    Bytes inner = der::tlv(0xA0, der::octet_string(content));
    encap.insert(encap.end(), inner.begin(), inner.end());
  }
  std::vector<Bytes> certs = {signer.certificate.der()};
  if (options.include_chain)
    for (const auto& c : signer.chain) certs.push_back(c.der());
  Bytes signed_data = der::sequence(der::concat({integer(1), set_of({built.digest_algorithm}), der::sequence(encap),
                                                 set_of(certs, 0xA0), der::tlv(0x31, built.signer_info)}));
  return content_info(signed_data);
}

Bytes cms_add_signer(ByteView cms, std::optional<ByteView> detached_content, const pki::KeyStore& signer,
                     const CmsSignOptions& options) {
  auto bytes = to_der(cms);
  if (!bytes) throw Error("cms.malformed", "the input is neither DER nor base64 of a CMS structure");
  ByteView in(*bytes);
  auto ci = der::read(in);
  auto ci_parts = ci ? der::children(*ci) : std::nullopt;
  if (!ci_parts || ci_parts->size() != 2 || ci_parts->at(1).tag != 0xA0)
    throw Error("cms.malformed", "the input is not a CMS ContentInfo");
  auto sd_wrapper = der::children(ci_parts->at(1));
  auto sd = sd_wrapper && sd_wrapper->size() == 1 ? der::children(sd_wrapper->at(0)) : std::nullopt;
  if (!sd || sd->size() < 4) throw Error("cms.malformed", "the ContentInfo does not hold a SignedData");
  const auto& parts = *sd;
  auto content = cms_content(*bytes);
  if (!content && !detached_content) throw Error("cms.malformed", "the CMS is detached: the content is needed");
  Bytes data = content ? *content : Bytes(detached_content->begin(), detached_content->end());

  CmsSignOptions same_type = options;
  auto encap_parts = der::children(parts[2]);
  if (!encap_parts || encap_parts->empty() || encap_parts->front().tag != 0x06)
    throw Error("cms.malformed", "the SignedData encapContentInfo cannot be read");
  same_type.content_type = der::oid_text(encap_parts->front().content);
  BuiltSigner built = build_signer_info(data, signer, same_type);
  std::vector<Bytes> digest_algs;
  auto existing_algs = der::children(parts[1]);
  if (!existing_algs) throw Error("cms.malformed", "the SignedData digestAlgorithms cannot be read");
  for (const auto& e : *existing_algs) digest_algs.emplace_back(e.whole.begin(), e.whole.end());
  if (std::find(digest_algs.begin(), digest_algs.end(), built.digest_algorithm) == digest_algs.end())
    digest_algs.push_back(built.digest_algorithm);
  std::vector<Bytes> certs;
  Bytes crls;
  std::size_t k = 3;
  if (k < parts.size() && parts[k].tag == 0xA0) {
    auto existing_certs = der::children(parts[k]);
    if (!existing_certs) throw Error("cms.malformed", "the SignedData certificates cannot be read");
    for (const auto& e : *existing_certs) certs.emplace_back(e.whole.begin(), e.whole.end());
    ++k;
  }
  if (k < parts.size() && parts[k].tag == 0xA1) {
    crls.assign(parts[k].whole.begin(), parts[k].whole.end());
    ++k;
  }
  if (k + 1 != parts.size() || parts[k].tag != 0x31) throw Error("cms.malformed", "the SignedData has no SignerInfos");
  Bytes mine = signer.certificate.der();
  if (std::find(certs.begin(), certs.end(), mine) == certs.end()) certs.push_back(mine);
  Bytes infos(parts[k].content.begin(), parts[k].content.end());
  infos.insert(infos.end(), built.signer_info.begin(), built.signer_info.end());
  Bytes signed_data = der::sequence(der::concat({parts[0].whole, set_of(digest_algs), parts[2].whole, set_of(certs, 0xA0),
                                                 crls, der::tlv(0x31, infos)}));
  return content_info(signed_data);
}

namespace {

// ContentInfo → SignedData elements, with the DER kept alive in `storage`.
std::vector<der::Element> signed_data_parts(ByteView cms, Bytes& storage) {
  auto bytes = to_der(cms);
  if (!bytes) throw Error("cms.malformed", "the input is neither DER nor base64 of a CMS structure");
  storage = std::move(*bytes);
  ByteView in(storage);
  auto ci = der::read(in);
  auto ci_parts = ci ? der::children(*ci) : std::nullopt;
  if (!ci_parts || ci_parts->size() != 2 || ci_parts->at(1).tag != 0xA0)
    throw Error("cms.malformed", "the input is not a CMS ContentInfo");
  auto wrapper = der::children(ci_parts->at(1));
  auto sd = wrapper && wrapper->size() == 1 ? der::children(wrapper->at(0)) : std::nullopt;
  if (!sd || sd->size() < 4 || sd->back().tag != 0x31) throw Error("cms.malformed", "the ContentInfo does not hold a SignedData");
  return *sd;
}

}  // namespace

Bytes cms_signature_value(ByteView cms, std::size_t signer_index) {
  Bytes storage;
  auto parts = signed_data_parts(cms, storage);
  auto infos = der::children(parts.back());
  if (!infos || signer_index >= infos->size()) throw Error("cms.malformed", "no SignerInfo number " + std::to_string(signer_index + 1));
  auto fields = der::children((*infos)[signer_index]);
  if (!fields) throw Error("cms.malformed", "the SignerInfo cannot be read");
  for (const auto& f : *fields)
    if (f.tag == 0x04) return Bytes(f.content.begin(), f.content.end());
  throw Error("cms.malformed", "the SignerInfo has no signature value");
}

Bytes cms_add_timestamp(ByteView cms, ByteView timestamp_token, std::size_t signer_index) {
  Bytes storage;
  auto parts = signed_data_parts(cms, storage);
  auto infos = der::children(parts.back());
  if (!infos || signer_index >= infos->size()) throw Error("cms.malformed", "no SignerInfo number " + std::to_string(signer_index + 1));
  Bytes new_infos;
  for (std::size_t i = 0; i < infos->size(); ++i) {
    const auto& info = (*infos)[i];
    if (i != signer_index) {
      new_infos.insert(new_infos.end(), info.whole.begin(), info.whole.end());
      continue;
    }
    auto fields = der::children(info);
    if (!fields) throw Error("cms.malformed", "the SignerInfo cannot be read");
    Bytes rebuilt;
    std::vector<Bytes> unsigned_attrs;
    for (const auto& f : *fields) {
      if (f.tag == 0xA1) {
        auto attrs = der::children(f);
        if (!attrs) throw Error("cms.malformed", "the unsignedAttrs cannot be read");
        for (const auto& a : *attrs) unsigned_attrs.emplace_back(a.whole.begin(), a.whole.end());
      } else {
        rebuilt.insert(rebuilt.end(), f.whole.begin(), f.whole.end());
      }
    }
    unsigned_attrs.push_back(attribute(kOidTimeStampToken, timestamp_token));
    Bytes set = set_of(unsigned_attrs, 0xA1);
    rebuilt.insert(rebuilt.end(), set.begin(), set.end());
    Bytes seq = der::sequence(rebuilt);
    new_infos.insert(new_infos.end(), seq.begin(), seq.end());
  }
  Bytes body;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) body.insert(body.end(), parts[k].whole.begin(), parts[k].whole.end());
  Bytes infos_set = der::tlv(0x31, new_infos);
  body.insert(body.end(), infos_set.begin(), infos_set.end());
  return content_info(der::sequence(body));
}

std::optional<Bytes> cms_content(ByteView cms) {
  auto bytes = to_der(cms);
  if (!bytes) throw Error("cms.malformed", "the input is neither DER nor base64 of a CMS structure");
  const unsigned char* p = bytes->data();
  auto ci = make_unique_ptr<CMS_ContentInfo_free>(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes->size())));
  if (!ci) throw OpenSslError("cms.malformed", "the input is not a readable CMS ContentInfo");
  ASN1_OCTET_STRING** c = CMS_get0_content(ci.get());
  if (c == nullptr || *c == nullptr) return std::nullopt;
  return Bytes(ASN1_STRING_get0_data(*c), ASN1_STRING_get0_data(*c) + ASN1_STRING_length(*c));
}

VerificationReport verify_cms(ByteView cms, std::optional<ByteView> detached_content, const VerifyOptions& options) {
  return verify_cms_impl(cms, detached_content, options, 0);
}

}  // namespace qujat::dsig
