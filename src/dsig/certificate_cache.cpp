#include "dsig/certificate_cache.h"

#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace qujat::dsig {

namespace {

constexpr std::size_t kCapacity = 256;

struct CertificateCache {
  std::mutex mutex;
  std::list<std::string> order;  // most recent first
  std::unordered_map<std::string, std::pair<pki::Certificate, std::list<std::string>::iterator>> entries;
};

CertificateCache& cache() {
  static CertificateCache c;
  return c;
}

}  // namespace

pki::Certificate certificate_from_der(ByteView der) {
  std::string key(as_chars(der));
  auto& c = cache();
  {
    std::lock_guard lock(c.mutex);
    if (auto it = c.entries.find(key); it != c.entries.end()) {
      c.order.splice(c.order.begin(), c.order, it->second.second);
      return it->second.first;
    }
  }
  pki::Certificate parsed = pki::Certificate::from_der(der);
  std::lock_guard lock(c.mutex);
  if (c.entries.find(key) == c.entries.end()) {
    c.order.push_front(key);
    c.entries.emplace(key, std::make_pair(parsed, c.order.begin()));
    if (c.entries.size() > kCapacity) {
      c.entries.erase(c.order.back());
      c.order.pop_back();
    }
  }
  return parsed;
}

}  // namespace qujat::dsig
