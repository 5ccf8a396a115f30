// A stand-in for the MFA gateway (`qujat mfa-mock`, docs/mfa.md): a real
// HTTP server's handler that checks the WS-Security signature of every
// request (against trust anchors, or cryptographically only), records each
// request as one JSON line, and answers as a scenario says: the three
// results, a slow, failing or vanishing gateway, and answers by callback
// (late, or the same answer twice). For tests and demonstrations only.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "qujat/http/request.h"
#include "qujat/http/response.h"
#include "qujat/http/router.h"
#include "qujat/mfa/guarantee_message.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::mfa {

enum class MockScenario { authentic, forged, cannot_determine, slow, error_500, drop, twice, late_callback };

// "authentic", "forged", "cannot-determine", "slow", "error-500", "drop",
// "twice", "late-callback".
std::optional<MockScenario> parse_scenario(std::string_view name);

struct MfaMockOptions {
  MockScenario scenario = MockScenario::authentic;
  std::vector<std::filesystem::path> trust;  // anchors (files or folders); empty: cryptography only
  std::filesystem::path record;              // "" = no record
  const pki::KeyStore* key = nullptr;        // signs the answers (required)
  std::string callback_url;                  // where `twice` and `late-callback` answer
  int failures = 3;                          // slow, error-500, drop: the first K requests
  std::chrono::seconds delay{35};            // slow: past the client's timeout
  std::chrono::seconds callback_delay{2};    // late-callback
};

class MfaMock {
 public:
  explicit MfaMock(MfaMockOptions options);
  ~MfaMock();  // waits for the callbacks in flight
  MfaMock(const MfaMock&) = delete;
  MfaMock& operator=(const MfaMock&) = delete;

  // POST /, /mfa and /guarantee-check.
  void add_routes(http::Router& router);
  http::Response handle(const http::Request& request);

 private:
  GuaranteeAnswer answer_for(const std::string& key);
  void record(const std::optional<std::string>& key, bool signature_valid, const std::string& kind);
  void call_back(const std::string& envelope, int times, std::chrono::seconds after);
  http::Response signed_reply(const std::string& envelope) const;

  MfaMockOptions options_;
  std::atomic<int> received_{0};
  std::mutex mutex_;
  std::map<std::string, GuaranteeAnswer> answers_;  // by idempotency key
  std::vector<std::thread> callbacks_;
};

}  // namespace qujat::mfa
