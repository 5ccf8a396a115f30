#include "qujat/mfa/mfa_mock.h"

#include <openssl/rand.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/mfa/gateway_client.h"
#include "qujat/xml/document.h"

namespace qujat::mfa {
namespace {

http::Response soap(int status, std::string body) {
  return http::Response::text(status, std::move(body), "text/xml; charset=utf-8");
}

// The key of a request whose signature failed, read from the envelope as
// it came (for the record only; nothing else is done with an unsigned body).
std::optional<std::string> unverified_key(std::string_view envelope) {
  try {
    const auto doc = xml::Document::parse(envelope);
    const auto keys = xml::descendants(doc.root(), kNamespace, "IdempotencyKey");
    if (!keys.empty()) return xml::text_content(keys.front());
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string random_id() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("mfa.random", "no random bytes");
  return "mfa-answer-" + hex_encode(ByteView(bytes, sizeof bytes));
}

}  // namespace

std::optional<MockScenario> parse_scenario(std::string_view name) {
  static const std::map<std::string_view, MockScenario> names{{"authentic", MockScenario::authentic},
                                                              {"forged", MockScenario::forged},
                                                              {"cannot-determine", MockScenario::cannot_determine},
                                                              {"slow", MockScenario::slow},
                                                              {"error-500", MockScenario::error_500},
                                                              {"drop", MockScenario::drop},
                                                              {"twice", MockScenario::twice},
                                                              {"late-callback", MockScenario::late_callback}};
  const auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

MfaMock::MfaMock(MfaMockOptions options) : options_(std::move(options)) {
  if (options_.key == nullptr) throw Error("mfa.mock", "the stand-in needs a key to sign its answers (--key)");
  if ((options_.scenario == MockScenario::twice || options_.scenario == MockScenario::late_callback) &&
      options_.callback_url.empty())
    throw Error("mfa.mock", "this scenario answers by callback: --callback URL is required");
}

MfaMock::~MfaMock() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(callbacks_);
  }
  for (auto& t : threads) t.join();
}

void MfaMock::add_routes(http::Router& router) {
  for (const char* path : {"/", "/mfa", "/guarantee-check"})
    router.add("POST", path, [this](http::Request& request) { return handle(request); });
}

GuaranteeAnswer MfaMock::answer_for(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = answers_.find(key);
  if (it != answers_.end()) return it->second;
  const char* result = options_.scenario == MockScenario::forged             ? "not_authentic"
                       : options_.scenario == MockScenario::cannot_determine ? "cannot_determine"
                                                                             : "authentic";
  // One answer message per request key: repeated deliveries get the same one.
  GuaranteeAnswer answer{random_id(), key, result, ""};
  answers_.emplace(key, answer);
  return answer;
}

void MfaMock::record(const std::optional<std::string>& key, bool signature_valid, const std::string& kind) {
  nlohmann::json line = {{"time", format_instant_utc(now_utc())},
                         {"idempotency_key", key ? nlohmann::json(*key) : nlohmann::json(nullptr)},
                         {"signature_valid", signature_valid},
                         {"kind", kind}};
  std::lock_guard lock(mutex_);
  if (options_.record.empty()) return;
  std::ofstream out(options_.record, std::ios::app);
  out << line.dump() << "\n";
}

http::Response MfaMock::signed_reply(const std::string& envelope) const {
  return soap(200, dsig::wss_sign(envelope, *options_.key));
}

void MfaMock::call_back(const std::string& envelope, int times, std::chrono::seconds after) {
  const std::string url = options_.callback_url;
  std::lock_guard lock(mutex_);
  callbacks_.emplace_back([url, envelope, times, after] {
    std::this_thread::sleep_for(after);
    GatewayClient client({url, {}, std::chrono::seconds(5), std::chrono::seconds(30)});
    for (int i = 0; i < times; ++i) {
      nlohmann::json line = {{"event", "mfa-mock.callback"}, {"url", url}, {"try", i + 1}};
      try {
        const auto reply = client.post(envelope, "urn:qujat:mfa:guarantee-check:1#GuaranteeCheckAnswer");
        line["status"] = reply.status;
      } catch (const std::exception& e) {
        line["error"] = e.what();
      }
      std::cerr << line.dump() << std::endl;
    }
  });
}

http::Response MfaMock::handle(const http::Request& request) {
  const int n = ++received_;
  dsig::VerifyOptions verify;
  verify.require_signing_key = false;
  for (const auto& anchor : options_.trust) verify.trust.add_anchors_from(anchor.string());
  verify.require_trusted_chain = !options_.trust.empty();
  dsig::WssVerifyOptions wss;
  const auto checked = dsig::wss_verify_envelope(request.body, verify, wss);
  const bool valid = checked.valid() && checked.body.has_value();
  std::optional<GuaranteeMessage> message;
  std::string refusal;
  if (valid) {
    try {
      message = parse_body(*checked.body);
    } catch (const std::exception& e) {
      refusal = e.what();
    }
  }
  std::optional<std::string> key;
  if (message && message->request)
    key = message->request->idempotency_key;
  else if (message && message->status_request)
    key = *message->status_request;
  else
    key = unverified_key(request.body);
  record(key, valid, message && message->status_request ? "status" : "check");
  if (!valid) {
    std::string why = "the WS-Security signature does not hold";
    if (!checked.report.signatures.empty() && !checked.report.signatures.front().errors.empty())
      why = checked.report.signatures.front().errors.front();
    return soap(403, fault_envelope("mfa.signature", why));
  }
  if (!message || (!message->request && !message->status_request))
    return soap(400, fault_envelope("mfa.message", refusal.empty() ? "not a request" : refusal));

  if (message->status_request) {
    std::lock_guard lock(mutex_);
    const auto it = answers_.find(*key);
    if (it == answers_.end() || options_.scenario == MockScenario::late_callback) {
      const std::string envelope = receipt_envelope(*key);
      return signed_reply(envelope);
    }
    return signed_reply(answer_envelope(it->second));
  }

  const bool failing = n <= options_.failures;
  switch (options_.scenario) {
    case MockScenario::error_500:
      if (failing) return soap(500, fault_envelope("mfa.unavailable", "the gateway is failing on purpose"));
      break;
    case MockScenario::slow:
      if (failing) std::this_thread::sleep_for(options_.delay);
      break;
    case MockScenario::drop:
      if (failing) {
        http::Response dropped;
        dropped.drop_connection = true;
        return dropped;
      }
      break;
    case MockScenario::twice:
    case MockScenario::late_callback: {
      const auto answer = answer_for(*key);
      const auto envelope = dsig::wss_sign(answer_envelope(answer), *options_.key);
      if (options_.scenario == MockScenario::twice)
        call_back(envelope, 2, std::chrono::seconds(0));
      else
        call_back(envelope, 1, options_.callback_delay);
      return signed_reply(receipt_envelope(*key));
    }
    default:
      break;
  }
  return signed_reply(answer_envelope(answer_for(*key)));
}

}  // namespace qujat::mfa
