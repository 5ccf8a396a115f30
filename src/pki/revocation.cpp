#include "qujat/pki/revocation.h"

#include <curl/curl.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <mutex>

#include "pki/der.h"
#include "pki/key_impl.h"
#include "pki/openssl_memory.h"
#include "qujat/common/error.h"
#include "qujat/common/memory.h"

namespace qujat::pki {
namespace {

std::string oid_of(const X509_ALGOR* alg) {
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
  char buf[128];
  OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return buf;
}

std::string serial_hex(const ASN1_INTEGER* serial) {
  auto bn = make_unique_ptr<BN_free>(ASN1_INTEGER_to_BN(serial, nullptr));
  const auto hex = make_unique_ptr<free_openssl>(BN_bn2hex(bn.get()));
  std::string out = hex.get();
  for (auto& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

std::string reason_name(int reason) {
  if (reason < 0) return {};
  // OpenSSL's words ("key compromise"); the RFC 5280 identifiers are what reports use.
  static const char* const kNames[] = {"unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
                                       "superseded",    "cessationOfOperation", "certificateHold", "",
                                       "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};
  if (reason < static_cast<int>(std::size(kNames))) return kNames[reason];
  return "reason " + std::to_string(reason);
}

// A CRL as loaded: DER kept for the signature check over the transmitted TBS.
struct LoadedCrl {
  std::string source;
  Bytes der;
  UniquePtr<X509_CRL, X509_CRL_free> crl;
  bool delta = false;
};

LoadedCrl parse_crl(const std::string& source, const Bytes& data) {
  LoadedCrl out;
  out.source = source;
  if (as_chars(data).find("-----BEGIN") != std::string_view::npos) {
    auto bio = make_unique_ptr<BIO_free>(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (const auto block = next_pem_block(bio.get())) {
      const ByteView body = block->der();
      out.der.assign(body.begin(), body.end());
    }
  } else {
    out.der = data;
  }
  const unsigned char* p = out.der.data();
  out.crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(out.der.size())));
  if (!out.crl) throw OpenSslError("pki.crl", "malformed CRL " + source);
  const auto delta = make_unique_ptr<ASN1_INTEGER_free>(
      static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(out.crl.get(), NID_delta_crl, nullptr, nullptr)));
  out.delta = delta != nullptr;
  clear_openssl_errors();
  return out;
}

// The exact BasicOCSPResponse bytes inside an OCSPResponse.
std::optional<ByteView> basic_response_der(ByteView der) {
  auto outer = der::read(der);
  if (!outer || outer->tag != 0x30) return std::nullopt;
  auto parts = der::children(*outer);
  if (!parts || parts->size() < 2 || (*parts)[1].tag != 0xA0) return std::nullopt;
  ByteView inner = (*parts)[1].content;
  auto bytes = der::read(inner);  // ResponseBytes
  if (!bytes) return std::nullopt;
  auto rb = der::children(*bytes);
  if (!rb || rb->size() < 2 || (*rb)[1].tag != 0x04) return std::nullopt;
  return (*rb)[1].content;
}

// RFC 5280 5.1.1.2: the unsigned outer algorithm must equal the signed one in
// the TBSCertList (its first SEQUENCE; the optional version is an INTEGER).
bool crl_algorithms_agree(ByteView der) {
  auto outer = der::read(der);
  if (!outer) return false;
  auto parts = der::children(*outer);
  if (!parts || parts->size() != 3) return false;
  auto tbs = der::children((*parts)[0]);
  if (!tbs) return false;
  for (const auto& e : *tbs)
    if (e.tag == 0x30)
      return std::equal(e.whole.begin(), e.whole.end(), (*parts)[1].whole.begin(), (*parts)[1].whole.end());
  return false;
}

struct LoadedOcsp {
  std::string source;
  Bytes der;
  UniquePtr<OCSP_RESPONSE, OCSP_RESPONSE_free> response;
  UniquePtr<OCSP_BASICRESP, OCSP_BASICRESP_free> basic;
};

LoadedOcsp parse_ocsp(const std::string& source, Bytes data) {
  LoadedOcsp out;
  out.source = source;
  out.der = std::move(data);
  const unsigned char* p = out.der.data();
  out.response.reset(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(out.der.size())));
  if (!out.response) throw OpenSslError("pki.ocsp", "malformed OCSP response " + source);
  if (OCSP_response_status(out.response.get()) == OCSP_RESPONSE_STATUS_SUCCESSFUL)
    out.basic.reset(OCSP_response_get1_basic(out.response.get()));
  clear_openssl_errors();
  return out;
}

// The response is signed by the issuer itself or by a responder certificate
// (carried in the response) that the issuer signed.
// `coded` is `why` for a person's report (kk/ru/en wording).
bool ocsp_signed_by(const LoadedOcsp& o, const Certificate& issuer, std::string& why, Finding& coded) {
  const auto basic = basic_response_der(o.der);
  if (!basic || !o.basic) {
    why = "malformed BasicOCSPResponse";
    coded = {"revocation.ocsp_malformed", {{"source", o.source}}};
    return false;
  }
  const auto alg = signature_from_oid(oid_of(OCSP_resp_get0_tbs_sigalg(o.basic.get())));
  if (!alg) {
    why = "unsupported OCSP signature algorithm " + oid_of(OCSP_resp_get0_tbs_sigalg(o.basic.get()));
    coded = {"revocation.ocsp_algorithm",
             {{"source", o.source}, {"algorithm", oid_of(OCSP_resp_get0_tbs_sigalg(o.basic.get()))}}};
    return false;
  }
  if (verify_signed_structure(*basic, alg, issuer.public_key())) return true;
  const STACK_OF(X509)* certs = OCSP_resp_get0_certs(o.basic.get());
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    const Bytes der = i2d_bytes([&](unsigned char** b) { return i2d_X509(sk_X509_value(certs, i), b); });
    if (der.empty()) continue;
    const auto responder = Certificate::from_der(der);
    // Only a certificate delegated for OCSP may speak for the CA; any other
    // certificate of the same CA (a holder's own) must not vouch for itself.
    const auto eku = responder.extended_key_usage();
    const bool delegated = std::find(eku.begin(), eku.end(), "1.3.6.1.5.5.7.3.9") != eku.end();
    if (delegated && responder.is_signed_by(issuer) && verify_signed_structure(*basic, alg, responder.public_key()))
      return true;
  }
  why = "OCSP response signature does not verify with the issuer or a responder it certified";
  coded = {"revocation.ocsp_signature", {{"source", o.source}}};
  return false;
}

// ---- HTTP (only when online access was asked for) ----

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  auto* body = static_cast<Bytes*>(out);
  if (body->size() + size * count > (16u << 20)) return 0;  // CRLs are large but not this large
  body->insert(body->end(), data, data + size * count);
  return size * count;
}

Bytes http_fetch(const std::string& url, const Bytes* post_body, const char* content_type,
                 std::chrono::seconds timeout) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto curl = make_unique_ptr<curl_easy_cleanup>(curl_easy_init());
  if (!curl) throw Error("pki.http", "cannot start an HTTP client");
  Bytes body;
  UniquePtr<curl_slist, curl_slist_free_all> headers;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  if (post_body != nullptr) {
    headers.reset(curl_slist_append(nullptr, (std::string("Content-Type: ") + content_type).c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  const CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) throw Error("pki.http", "cannot fetch " + url, {curl_easy_strerror(rc)});
  if (status != 200) throw Error("pki.http", "HTTP " + std::to_string(status) + " from " + url);
  return body;
}

}  // namespace

std::string_view name(RevocationStatus s) {
  switch (s) {
    case RevocationStatus::Good:
      return "good";
    case RevocationStatus::Revoked:
      return "revoked";
    case RevocationStatus::Unknown:
      return "unknown";
    case RevocationStatus::NotChecked:
      return "not_checked";
  }
  return "not_checked";
}

OcspResponseInfo parse_ocsp_response(ByteView der) {
  const auto o = parse_ocsp("OCSP response", Bytes(der.begin(), der.end()));
  OcspResponseInfo info;
  info.response_status = OCSP_response_status_str(OCSP_response_status(o.response.get()));
  if (!o.basic) return info;
  info.produced_at = der::instant_from_asn1(OCSP_resp_get0_produced_at(o.basic.get()));
  if (OCSP_resp_count(o.basic.get()) < 1) return info;
  OCSP_SINGLERESP* single = OCSP_resp_get0(o.basic.get(), 0);
  int reason = -1;
  ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
  const int status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
  info.cert_status = OCSP_cert_status_str(status);
  ASN1_INTEGER* serial = nullptr;
  OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));
  if (serial != nullptr) info.serial_hex = serial_hex(serial);
  if (this_update != nullptr) info.this_update = der::instant_from_asn1(this_update);
  if (next_update != nullptr) info.next_update = der::instant_from_asn1(next_update);
  if (revoked != nullptr) info.revoked_at = der::instant_from_asn1(revoked);
  info.revocation_reason = reason_name(reason);
  return info;
}

namespace {
// Why the sources tried so far could not decide, in English (errors) and
// coded for a person's report in kk/ru/en (findings), side by side.
struct Reasons {
  std::vector<std::string> text;
  std::vector<Finding> coded;
  void push_back(std::string english, Finding finding) {
    text.push_back(std::move(english));
    coded.push_back(std::move(finding));
  }
};
}  // namespace

struct RevocationChecker::Impl {
  RevocationOptions options;
  std::vector<LoadedCrl> crls;
  std::vector<LoadedOcsp> ocsp;
  // Downloads by URL, kept until the CRL's nextUpdate (at most a day) or for
  // five minutes for OCSP, so a batch of verifications fetches each URL once.
  struct Cached {
    Bytes data;
    Instant expires;
  };
  mutable std::mutex mutex;
  mutable std::map<std::string, Cached> cache;

  std::optional<Bytes> cached(const std::string& key) const {
    std::lock_guard lock(mutex);
    auto it = cache.find(key);
    if (it == cache.end() || it->second.expires < now_utc()) return std::nullopt;
    return it->second.data;
  }
  void remember(const std::string& key, const Bytes& data, Instant expires) const {
    std::lock_guard lock(mutex);
    cache[key] = {data, expires};
  }

  std::optional<RevocationResult> from_ocsp(const LoadedOcsp& o, const Certificate& cert, const Certificate& issuer,
                                            Instant at, Reasons& errors) const;
  std::optional<RevocationResult> from_crls(const std::vector<const LoadedCrl*>& crls, const Certificate& cert,
                                            const Certificate& issuer, Instant at, Reasons& errors) const;
};

std::optional<RevocationResult> RevocationChecker::Impl::from_ocsp(const LoadedOcsp& o, const Certificate& cert,
                                                                   const Certificate& issuer, Instant at,
                                                                   Reasons& errors) const {
  if (!o.basic) {
    const std::string status = OCSP_response_status_str(OCSP_response_status(o.response.get()));
    errors.push_back(o.source + ": OCSP response status " + status,
                     {"revocation.ocsp_status", {{"source", o.source}, {"status", status}}});
    return std::nullopt;
  }
  const ASN1_INTEGER* wanted = X509_get0_serialNumber(cert.native());
  for (int i = 0; i < OCSP_resp_count(o.basic.get()); ++i) {
    OCSP_SINGLERESP* single = OCSP_resp_get0(o.basic.get(), i);
    ASN1_INTEGER* serial = nullptr;
    OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));
    if (serial == nullptr || ASN1_INTEGER_cmp(serial, wanted) != 0) continue;
    std::string why;
    Finding coded;
    if (!ocsp_signed_by(o, issuer, why, coded)) {
      errors.push_back(o.source + ": " + why, std::move(coded));
      return std::nullopt;
    }
    int reason = -1;
    ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
    const int status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
    RevocationResult r;
    r.source = "ocsp:" + o.source;
    if (status == V_OCSP_CERTSTATUS_GOOD) {
      // "Good" speaks for the time of the answer: it covers `at` when the
      // answer came at or after it, or while its nextUpdate has not passed.
      // An older answer cannot show the certificate was not revoked since.
      const Instant produced = this_update != nullptr ? der::instant_from_asn1(this_update) : Instant{};
      const bool fresh = at <= produced + options.ocsp_clock_skew ||
                         (next_update != nullptr && at <= der::instant_from_asn1(next_update));
      if (!fresh) {
        errors.push_back(o.source + ": the OCSP answer \"good\" dates from " + format_instant_utc(produced) +
                             ", before the time of the check " + format_instant_utc(at) +
                             ", so it cannot show the certificate was still unrevoked then",
                         {"revocation.ocsp_stale",
                          {{"source", o.source}, {"produced", format_instant_utc(produced)}, {"at", format_instant_utc(at)}}});
        return std::nullopt;
      }
      r.status = RevocationStatus::Good;
    } else if (status == V_OCSP_CERTSTATUS_REVOKED) {
      r.revoked_at = der::instant_from_asn1(revoked);
      r.reason = reason_name(reason);
      // A revocation after `at` does not touch what was signed before it.
      r.status = *r.revoked_at <= at ? RevocationStatus::Revoked : RevocationStatus::Good;
    } else {
      r.status = RevocationStatus::Unknown;
    }
    return r;
  }
  return std::nullopt;
}

std::optional<RevocationResult> RevocationChecker::Impl::from_crls(const std::vector<const LoadedCrl*>& crls,
                                                                   const Certificate& cert, const Certificate& issuer,
                                                                   Instant at, Reasons& errors) const {
  std::vector<const LoadedCrl*> full, deltas;
  for (const LoadedCrl* crl : crls) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl->crl.get()), X509_get_subject_name(issuer.native())) != 0) continue;
    const X509_ALGOR* alg = nullptr;
    X509_CRL_get0_signature(crl->crl.get(), nullptr, &alg);
    if (!crl_algorithms_agree(crl->der) ||
        !verify_signed_structure(crl->der, signature_from_oid(oid_of(alg)), issuer.public_key())) {
      errors.push_back(crl->source + ": CRL signature does not verify with the issuer's key",
                       {"revocation.crl_signature", {{"source", crl->source}}});
      continue;
    }
    (crl->delta ? deltas : full).push_back(crl);
  }
  // The entry for `cert`: nullopt when not listed; status Good for removeFromCRL.
  auto lookup = [&](const LoadedCrl* crl) -> std::optional<RevocationResult> {
    X509_REVOKED* entry = nullptr;
    const int rc = X509_CRL_get0_by_serial(crl->crl.get(), &entry, X509_get0_serialNumber(cert.native()));
    if ((rc != 1 && rc != 2) || entry == nullptr) return std::nullopt;
    RevocationResult r;
    r.source = "crl:" + crl->source;
    if (rc == 2) {  // removeFromCRL (deltas): the hold was lifted
      r.status = RevocationStatus::Good;
      return r;
    }
    const auto code = make_unique_ptr<ASN1_ENUMERATED_free>(
        static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
    r.reason = reason_name(code ? static_cast<int>(ASN1_ENUMERATED_get(code.get())) : -1);
    r.revoked_at = der::instant_from_asn1(X509_REVOKED_get0_revocationDate(entry));
    // A revocation after `at` does not touch what was signed before it.
    r.status = *r.revoked_at <= at ? RevocationStatus::Revoked : RevocationStatus::Good;
    return r;
  };

  std::optional<RevocationResult> result;
  for (const LoadedCrl* crl : full) {
    auto r = lookup(crl);
    if (r && r->status == RevocationStatus::Revoked) result = r;
  }
  // Each delta repeats all changes since its base: only the newest one counts.
  const LoadedCrl* newest = nullptr;
  for (const LoadedCrl* crl : deltas)
    if (newest == nullptr ||
        ASN1_TIME_compare(X509_CRL_get0_lastUpdate(crl->crl.get()), X509_CRL_get0_lastUpdate(newest->crl.get())) > 0)
      newest = crl;
  if (newest != nullptr) {
    if (auto r = lookup(newest)) {
      if (r->status == RevocationStatus::Revoked)
        result = r;
      else if (result && result->reason == "certificateHold")
        result.reset();
    }
  }
  clear_openssl_errors();
  if (result) return result;
  // Not listed: that says "good" at `at` only for a full CRL current then
  // (at <= nextUpdate) or issued after it; a delta alone never says it. And
  // only for a CRL issued while the certificate was valid: a CA may drop a
  // certificate from its CRLs once it has expired (RFC 5280 3.3), unless the
  // CRL says it keeps them (ExpiredCertsOnCRL, X.509 2.5.29.60).
  static const auto expired_certs_on_crl = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj("2.5.29.60", 1));
  for (const LoadedCrl* crl : full) {
    const Instant issued = der::instant_from_asn1(X509_CRL_get0_lastUpdate(crl->crl.get()));
    if (issued > cert.not_after() && X509_CRL_get_ext_by_OBJ(crl->crl.get(), expired_certs_on_crl.get(), -1) < 0) {
      const std::string this_update = format_instant_utc(issued), not_after = format_instant_utc(cert.not_after());
      errors.push_back(crl->source + ": the CRL was issued on " + this_update + ", after the certificate expired on " +
                           not_after +
                           ": an expired certificate may be dropped from CRLs, so its absence proves nothing",
                       {"revocation.crl_after_expiry",
                        {{"source", crl->source}, {"this_update", this_update}, {"not_after", not_after}}});
      continue;
    }
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl->crl.get());
    const bool fresh = der::instant_from_asn1(X509_CRL_get0_lastUpdate(crl->crl.get())) >= at ||
                       next == nullptr || at <= der::instant_from_asn1(next);
    if (fresh) {
      RevocationResult good;
      good.status = RevocationStatus::Good;
      good.source = "crl:" + crl->source;
      return good;
    }
    const std::string next_update = format_instant_utc(der::instant_from_asn1(next));
    errors.push_back(crl->source + ": the CRL's nextUpdate " + next_update + " is before the time of the check " +
                         format_instant_utc(at) + ": a stale CRL cannot show the certificate was unrevoked then",
                     {"revocation.crl_stale",
                      {{"source", crl->source}, {"next_update", next_update}, {"at", format_instant_utc(at)}}});
  }
  return std::nullopt;
}

RevocationChecker::RevocationChecker(RevocationOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
RevocationChecker::~RevocationChecker() = default;
RevocationChecker::RevocationChecker(RevocationChecker&&) noexcept = default;
RevocationChecker& RevocationChecker::operator=(RevocationChecker&&) noexcept = default;

void RevocationChecker::add_crl_file(const std::string& path) {
  impl_->crls.push_back(parse_crl(path, read_file(path)));
}

void RevocationChecker::add_ocsp_response_file(const std::string& path) {
  impl_->ocsp.push_back(parse_ocsp(path, read_file(path)));
}

RevocationResult RevocationChecker::check(const Certificate& cert, const Certificate& issuer, Instant at) const {
  Reasons errors;
  auto finish = [&errors](RevocationResult r) {
    r.errors.insert(r.errors.begin(), errors.text.begin(), errors.text.end());
    r.findings.insert(r.findings.begin(), errors.coded.begin(), errors.coded.end());
    return r;
  };
  for (const auto& o : impl_->ocsp)
    if (auto r = impl_->from_ocsp(o, cert, issuer, at, errors)) return finish(*r);
  std::vector<const LoadedCrl*> crls;
  for (const auto& c : impl_->crls) crls.push_back(&c);
  if (auto r = impl_->from_crls(crls, cert, issuer, at, errors)) return finish(*r);

  if (impl_->options.online) {
    for (const auto& url : cert.ocsp_urls()) {
      try {
        const std::string key = "ocsp:" + url + "#" + cert.serial_hex();
        std::optional<LoadedOcsp> answer;
        if (auto data = impl_->cached(key)) {
          answer = parse_ocsp(url, std::move(*data));
        } else {
          auto id = make_unique_ptr<OCSP_CERTID_free>(OCSP_cert_to_id(EVP_sha1(), cert.native(), issuer.native()));
          auto req = make_unique_ptr<OCSP_REQUEST_free>(OCSP_REQUEST_new());
          if (!id || !req || OCSP_request_add0_id(req.get(), id.get()) == nullptr)
            throw OpenSslError("pki.ocsp", "cannot build an OCSP request");
          id.release();  // the request owns it now
          // A random nonce (RFC 8954) binds the answer to this request, so a
          // recorded "good" cannot be replayed after the key is revoked.
          if (OCSP_request_add1_nonce(req.get(), nullptr, -1) != 1)
            throw OpenSslError("pki.ocsp", "cannot add a nonce to the OCSP request");
          const Bytes body = i2d_bytes([&](unsigned char** b) { return i2d_OCSP_REQUEST(req.get(), b); });
          answer = parse_ocsp(url, http_fetch(url, &body, "application/ocsp-request", impl_->options.http_timeout));
          // Responders that precompute answers send none back (RFC 8954 2.1);
          // then thisUpdate freshness is what holds. A different nonce never passes.
          if (answer->basic && OCSP_check_nonce(req.get(), answer->basic.get()) == 0)
            throw Error("pki.ocsp", url + " answered with another request's nonce (a replayed or misrouted OCSP response)");
          clear_openssl_errors();
          impl_->remember(key, answer->der, now_utc() + std::chrono::minutes(5));
        }
        const LoadedOcsp& o = *answer;
        if (auto r = impl_->from_ocsp(o, cert, issuer, at, errors)) return finish(*r);
      } catch (const Error& e) {
        errors.push_back(e.full_message(), {"revocation.source_failed", {{"detail", e.full_message()}}});
      }
    }
    std::vector<LoadedCrl> fetched;
    for (const auto& url : cert.crl_urls()) {
      try {
        auto data = impl_->cached("crl:" + url);
        if (!data) {
          data = http_fetch(url, nullptr, nullptr, impl_->options.http_timeout);
          auto parsed = parse_crl(url, *data);
          Instant expires = now_utc() + std::chrono::hours(24);
          if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(parsed.crl.get()))
            expires = std::min(expires, der::instant_from_asn1(next));
          impl_->remember("crl:" + url, *data, expires);
          fetched.push_back(std::move(parsed));
        } else {
          fetched.push_back(parse_crl(url, *data));
        }
      } catch (const Error& e) {
        errors.push_back(e.full_message(), {"revocation.source_failed", {{"detail", e.full_message()}}});
      }
    }
    for (const auto& c : fetched) crls.push_back(&c);
    if (auto r = impl_->from_crls(crls, cert, issuer, at, errors)) return finish(*r);
  }

  RevocationResult none;
  none.status = (impl_->ocsp.empty() && impl_->crls.empty() && !impl_->options.online) ? RevocationStatus::NotChecked
                                                                                       : RevocationStatus::Unknown;
  if (none.status == RevocationStatus::Unknown && errors.text.empty())
    errors.push_back("no CRL or OCSP response of this issuer covers serial " + cert.serial_hex(),
                     {"revocation.not_covered", {{"serial", cert.serial_hex()}}});
  return finish(none);
}

}  // namespace qujat::pki
