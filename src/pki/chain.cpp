#include "qujat/pki/chain.h"

#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "qujat/common/error.h"
#include "qujat/common/source_tree.h"

namespace qujat::pki {
namespace {

bool names_issuer(const Certificate& child, const Certificate& parent) {
  return X509_NAME_cmp(X509_get_issuer_name(child.native()), X509_get_subject_name(parent.native())) == 0;
}

bool self_issued(const Certificate& c) { return names_issuer(c, c); }

std::string describe(const Certificate& c) { return "\"" + c.subject() + "\""; }

// Signatures on certificates already proven in this process. A service
// verifies the same few signer and CA certificates again and again, and each
// GOST 2015-512 check costs as much as the document's own signature. Only the
// fact "these DER bytes are signed by the key of those DER bytes" is kept:
// it holds whatever the trust store, the time of the check or the revocation
// sources are, so every path is still built against the caller's anchors,
// and validity, CA constraints and revocation are checked on every call.
class ProvenSignatures {
 public:
  static ProvenSignatures& instance() {
    static ProvenSignatures proven;
    return proven;
  }

  bool signed_by(const Certificate& child, const Certificate& issuer) {
    const std::string key = fingerprint(child) + fingerprint(issuer);
    {
      std::lock_guard lock(mutex_);
      if (const auto it = entries_.find(key); it != entries_.end()) {
        order_.splice(order_.begin(), order_, it->second);
        return true;
      }
    }
    if (!child.is_signed_by(issuer)) return false;  // failures are not kept: a forger cannot evict
    std::lock_guard lock(mutex_);
    if (entries_.find(key) == entries_.end()) {
      order_.push_front(key);
      entries_.emplace(key, order_.begin());
      if (entries_.size() > kCapacity) {
        entries_.erase(order_.back());
        order_.pop_back();
      }
    }
    return true;
  }

 private:
  static constexpr std::size_t kCapacity = 1024;

  static std::string fingerprint(const Certificate& c) {
    const Bytes der = c.der();
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    SHA256(der.data(), der.size(), reinterpret_cast<unsigned char*>(out.data()));
    return out;
  }

  std::mutex mutex_;
  std::list<std::string> order_;  // most recent first
  std::unordered_map<std::string, std::list<std::string>::iterator> entries_;
};

// The issuer candidates of `cert`: name match first, then the signature decides.
const Certificate* find_issuer(const Certificate& cert, const std::vector<Certificate>& pool) {
  for (const auto& c : pool)
    if (!c.same_as(cert) && names_issuer(cert, c) && ProvenSignatures::instance().signed_by(cert, c)) return &c;
  return nullptr;
}

}  // namespace

std::string_view name(TimeStatus s) {
  switch (s) {
    case TimeStatus::WithinValidity:
      return "within_validity";
    case TimeStatus::Expired:
      return "expired";
    case TimeStatus::NotYetValid:
      return "not_yet_valid";
  }
  return "unknown";
}

TimeStatus time_status(const Certificate& cert, Instant at) {
  if (at < cert.not_before()) return TimeStatus::NotYetValid;
  if (at > cert.not_after()) return TimeStatus::Expired;
  return TimeStatus::WithinValidity;
}

void TrustStore::add_anchor(const Certificate& c) {
  for (const auto& a : anchors_)
    if (a.same_as(c)) return;
  anchors_.push_back(c);
}

void TrustStore::add_anchors_from(const std::string& file_or_dir) {
  for (const auto& c : Certificate::load_all(file_or_dir)) add_anchor(c);
}

void TrustStore::add_intermediate(const Certificate& c) {
  for (const auto& a : intermediates_)
    if (a.same_as(c)) return;
  intermediates_.push_back(c);
}

void TrustStore::add_intermediates_from(const std::string& file_or_dir) {
  for (const auto& c : Certificate::load_all(file_or_dir)) add_intermediate(c);
}

std::optional<std::filesystem::path> shipped_nca_certificates(const std::filesystem::path& program) {
  std::vector<std::filesystem::path> candidates;
  if (!program.empty()) candidates.push_back(program.parent_path().parent_path() / "share" / "qujat" / "certs" / "nca");
  candidates.emplace_back("/usr/share/qujat/certs/nca");
  candidates.push_back(source_tree() / "certs" / "nca");
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    try {
      if (!Certificate::load_all(dir.string()).empty()) return dir.lexically_normal();
    } catch (const Error&) {
      continue;  // an unreadable folder is not the trust store
    }
  }
  return std::nullopt;
}

ChainResult verify_chain(const Certificate& leaf, const TrustStore& store, Instant at,
                         const std::vector<Certificate>& extra_intermediates) {
  ChainResult result;
  auto fail = [&result](std::string english, Finding finding) {
    result.errors.push_back(std::move(english));
    result.findings.push_back(std::move(finding));
  };
  std::vector<Certificate> pool = store.intermediates();
  pool.insert(pool.end(), extra_intermediates.begin(), extra_intermediates.end());

  auto is_anchor = [&store](const Certificate& c) {
    for (const auto& a : store.anchors())
      if (a.same_as(c)) return true;
    return false;
  };

  result.path.push_back(leaf);
  // Paths of NCA certificates are 2-3 long; the bound stops loops in odd pools.
  constexpr std::size_t kMaxDepth = 8;
  while (result.path.size() <= kMaxDepth) {
    const Certificate& current = result.path.back();
    if (is_anchor(current)) {
      result.trusted = true;
      break;
    }
    if (const Certificate* anchor = find_issuer(current, store.anchors())) {
      result.path.push_back(*anchor);
      result.trusted = true;
      break;
    }
    if (const Certificate* next = find_issuer(current, pool)) {
      bool loop = false;
      for (const auto& p : result.path) loop = loop || p.same_as(*next);
      if (!loop) {
        result.path.push_back(*next);
        continue;
      }
    }
    bool named_issuer = false;
    for (const std::vector<Certificate>* set : {&store.anchors(), static_cast<const std::vector<Certificate>*>(&pool)})
      for (const auto& c : *set) named_issuer = named_issuer || (!c.same_as(current) && names_issuer(current, c));
    if (self_issued(current) && current.is_signed_by(current))
      fail("the path ends at the root " + describe(current) + ", which is not a trust anchor",
           {"chain.root_not_trusted", {{"certificate", current.subject()}}});
    else if (named_issuer)
      fail("the signature on " + describe(current) + " does not verify with the key of its issuer " + current.issuer(),
           {"chain.issuer_signature", {{"certificate", current.subject()}, {"issuer", current.issuer()}}});
    else
      fail("the issuer of " + describe(current) + " (" + current.issuer() +
               ") is not among the trust anchors or intermediates, or its signature does not verify",
           {"chain.issuer_not_found", {{"certificate", current.subject()}, {"issuer", current.issuer()}}});
    break;
  }

  // Every certificate of the path at `at`: validity; every issuer: CA, keyCertSign.
  for (std::size_t i = 0; i < result.path.size(); ++i) {
    const Certificate& c = result.path[i];
    const TimeStatus t = time_status(c, at);
    if (t != TimeStatus::WithinValidity) {
      fail(describe(c) + " is " + std::string(name(t)) + " at " + format_instant_utc(at) + " (valid " +
               format_instant_utc(c.not_before()) + " .. " + format_instant_utc(c.not_after()) + ")",
           {t == TimeStatus::Expired ? "chain.certificate_expired" : "chain.certificate_not_yet_valid",
            {{"certificate", c.subject()},
             {"at", format_instant_utc(at)},
             {"not_before", format_instant_utc(c.not_before())},
             {"not_after", format_instant_utc(c.not_after())}}});
      if (result.time == TimeStatus::WithinValidity) result.time = t;
    }
    if (i == 0) continue;
    if (!c.is_ca()) {
      fail(describe(c) + " issues certificates but is not a CA (basicConstraints)",
           {"chain.not_ca", {{"certificate", c.subject()}}});
      result.trusted = false;
    }
    const unsigned ku = c.key_usage();
    if (ku != 0 && (ku & KU_KEY_CERT_SIGN) == 0) {
      fail(describe(c) + " issues certificates but its key usage lacks keyCertSign",
           {"chain.no_key_cert_sign", {{"certificate", c.subject()}}});
      result.trusted = false;
    }
  }
  return result;
}

}  // namespace qujat::pki
