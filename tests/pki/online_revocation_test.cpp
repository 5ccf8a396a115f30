// Online revocation (libcurl) against a responder on the loopback interface:
// the certificate's own CRL and OCSP URLs point at 127.0.0.1, nothing leaves
// the machine. Checks the fetch, the signature rules and the download cache.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ocsp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "pki/key_impl.h"
#include "qujat/pki/revocation.h"
#include "qujat/pki/test_pki.h"

using namespace qujat;
using namespace qujat::pki;

namespace {

struct MiniPki {
  PrivateKey ca_key;
  Certificate ca;
  PrivateKey holder_key;
  Certificate holder;
};

MiniPki make_pki(const std::string& base_url, KeyAlgorithm algorithm) {
  using namespace std::chrono;
  const Instant now = now_utc();
  auto ca_key = generate_key(algorithm);
  CertificateRequest req;
  req.subject = {{"CN", "ONLINE TEST CA"}, {"C", "KZ"}};
  req.not_before = now - hours(1);
  req.not_after = now + days(30);
  req.ca = true;
  req.key_usage = "critical,keyCertSign,cRLSign";
  auto ca = issue_certificate(req, ca_key.public_key(), nullptr, ca_key);
  auto holder_key = generate_key(algorithm);
  req.subject = {{"CN", "ONLINE HOLDER"}, {"serialNumber", "IIN900101300017"}, {"C", "KZ"}};
  req.ca = false;
  req.key_usage = "critical,digitalSignature,nonRepudiation";
  req.crl_url = base_url + "/ca.crl";
  req.ocsp_url = base_url + "/ocsp";
  auto holder = issue_certificate(req, holder_key.public_key(), &ca, ca_key);
  return {std::move(ca_key), ca, std::move(holder_key), holder};
}

// A one-connection-at-a-time HTTP/1.1 responder on 127.0.0.1 (a few lines of
// sockets keep the suite free of extra libraries).
class LoopbackResponder {
 public:
  using Handler = std::function<std::pair<int, std::string>(const std::string& method, const std::string& body)>;

  LoopbackResponder() {
    // A proxy configured in the environment must not see loopback requests.
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 8) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackResponder() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void on(const std::string& path, Handler h) {
    std::lock_guard lock(mutex_);
    handlers_[path] = std::move(h);
  }

 private:
  void serve() {
    while (!stopping_) {
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buf[4096];
      std::size_t header_end = std::string::npos;
      std::size_t need = 0;
      for (;;) {
        const ssize_t n = recv(client, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
        if (header_end == std::string::npos && (header_end = request.find("\r\n\r\n")) != std::string::npos) {
          const auto cl = request.find("Content-Length: ");
          need =
              header_end + 4 + (cl != std::string::npos && cl < header_end ? std::stoul(request.substr(cl + 16)) : 0);
        }
        if (header_end != std::string::npos && request.size() >= need) break;
      }
      const std::string method = request.substr(0, request.find(' '));
      const auto path_start = request.find(' ') + 1;
      const std::string path = request.substr(path_start, request.find(' ', path_start) - path_start);
      std::pair<int, std::string> answer{404, ""};
      {
        std::lock_guard lock(mutex_);
        if (auto it = handlers_.find(path); it != handlers_.end())
          answer = it->second(method, header_end == std::string::npos ? "" : request.substr(header_end + 4));
      }
      const std::string response = "HTTP/1.1 " + std::to_string(answer.first) +
                                   " X\r\nContent-Length: " + std::to_string(answer.second.size()) +
                                   "\r\nConnection: close\r\n\r\n" + answer.second;
      send(client, response.data(), response.size(), MSG_NOSIGNAL);
      close(client);
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::map<std::string, Handler> handlers_;
  std::thread thread_;
};

}  // namespace

TEST(OnlineRevocation, CrlFetchedOnceAndCached) {
  LoopbackResponder responder;
  const auto pki = make_pki(responder.base(), KeyAlgorithm::Gost2015_512);
  const Instant now = now_utc();
  const Bytes crl = issue_crl(pki.ca, pki.ca_key, now - std::chrono::hours(1), now + std::chrono::days(1),
                              {{pki.holder.serial_hex(), now - std::chrono::minutes(5), 1}});
  std::atomic<int> crl_hits{0};
  responder.on("/ca.crl", [&](const std::string&, const std::string&) {
    ++crl_hits;
    return std::pair<int, std::string>{200, std::string(crl.begin(), crl.end())};
  });
  responder.on("/ocsp", [](const std::string&, const std::string&) { return std::pair<int, std::string>{503, ""}; });

  RevocationChecker offline;
  EXPECT_EQ(offline.check(pki.holder, pki.ca, now).status, RevocationStatus::NotChecked);
  EXPECT_EQ(crl_hits.load(), 0);  // never online unless asked

  RevocationChecker online(RevocationOptions{.online = true, .http_timeout = std::chrono::seconds(5)});
  const auto r = online.check(pki.holder, pki.ca, now);
  EXPECT_EQ(r.status, RevocationStatus::Revoked);
  EXPECT_EQ(r.reason, "keyCompromise");
  EXPECT_EQ(online.check(pki.holder, pki.ca, now).status, RevocationStatus::Revoked);
  EXPECT_EQ(crl_hits.load(), 1);  // the second check used the cache
}

namespace {

enum class Nonce { Echoed, Omitted, Foreign };

// An OCSP responder signed by the CA: "good" for whatever it is asked, the
// request's nonce echoed, left out (a precomputed answer) or replaced.
std::pair<int, std::string> answer_good(const MiniPki& pki, const std::string& method, const std::string& body,
                                        Nonce nonce, std::atomic<int>& nonces_seen) {
  if (method != "POST") return {405, ""};
  const auto* p = reinterpret_cast<const unsigned char*>(body.data());
  OCSP_REQUEST* ocsp_req = d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(body.size()));
  if (OCSP_REQUEST_get_ext_by_NID(ocsp_req, NID_id_pkix_OCSP_Nonce, -1) >= 0) ++nonces_seen;
  OCSP_CERTID* id = OCSP_CERTID_dup(OCSP_onereq_get0_id(OCSP_request_onereq_get0(ocsp_req, 0)));
  OCSP_BASICRESP* basic = OCSP_BASICRESP_new();
  ASN1_TIME* now = ASN1_TIME_set(nullptr, time(nullptr));
  OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, now, nullptr);
  if (nonce == Nonce::Echoed) OCSP_copy_nonce(basic, ocsp_req);
  if (nonce == Nonce::Foreign) OCSP_basic_add1_nonce(basic, nullptr, 16);
  OCSP_basic_sign(basic, pki.ca.native(), pki.ca_key.impl().rsa.get(), EVP_sha256(), nullptr, OCSP_NOCERTS);
  OCSP_RESPONSE* resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
  unsigned char* buf = nullptr;
  const int len = i2d_OCSP_RESPONSE(resp, &buf);
  std::string answer(reinterpret_cast<char*>(buf), static_cast<std::size_t>(len));
  OPENSSL_free(buf);
  OCSP_RESPONSE_free(resp);
  OCSP_BASICRESP_free(basic);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(now);
  OCSP_REQUEST_free(ocsp_req);
  return {200, answer};
}

RevocationResult check_against(Nonce nonce, std::atomic<int>& nonces_seen) {
  LoopbackResponder responder;
  const auto pki = make_pki(responder.base(), KeyAlgorithm::Rsa);
  responder.on("/ocsp", [&](const std::string& method, const std::string& body) {
    return answer_good(pki, method, body, nonce, nonces_seen);
  });
  responder.on("/ca.crl", [](const std::string&, const std::string&) { return std::pair<int, std::string>{404, ""}; });
  RevocationChecker online(RevocationOptions{.online = true, .http_timeout = std::chrono::seconds(5)});
  return online.check(pki.holder, pki.ca, now_utc());
}

}  // namespace

TEST(OnlineRevocation, OcspAnsweredByTheCaWithTheRequestsNonce) {
  std::atomic<int> nonces{0};
  const auto r = check_against(Nonce::Echoed, nonces);
  EXPECT_EQ(r.status, RevocationStatus::Good) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.source.rfind("ocsp:", 0), 0u) << r.source;
  EXPECT_EQ(nonces.load(), 1);  // every request carries a nonce
}

TEST(OnlineRevocation, OcspAnswerWithoutNonceIsAcceptedWhenFresh) {
  std::atomic<int> nonces{0};
  const auto r = check_against(Nonce::Omitted, nonces);
  EXPECT_EQ(r.status, RevocationStatus::Good) << (r.errors.empty() ? "" : r.errors[0]);
}

TEST(OnlineRevocation, OcspAnswerWithAnotherNonceIsNotBelieved) {
  std::atomic<int> nonces{0};
  const auto r = check_against(Nonce::Foreign, nonces);
  EXPECT_NE(r.status, RevocationStatus::Good);
  bool named = false;
  for (const auto& e : r.errors) named = named || e.find("nonce") != std::string::npos;
  EXPECT_TRUE(named) << (r.errors.empty() ? "no errors" : r.errors[0]);
}
