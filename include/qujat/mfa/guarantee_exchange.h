// The office's side of the MFA authenticity check of guarantee documents
// (SPEC.md section 3, docs/mfa.md): delivers the `mfa.check` messages the
// procedure put in the outbox (signed SOAP, retried with backoff and
// jitter, parked after max_attempts, never dropped, one idempotency key per
// check for ever), records the ministry's answers exactly once, whether they
// come in the reply, by callback or by polling, and lets officers see and
// re-queue parked checks. GuaranteeCheckWorker runs the delivery on a thread
// of its own, never on an HTTP request thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "qujat/common/clock.h"
#include "qujat/config/config.h"
#include "qujat/http/response.h"
#include "qujat/i18n/messages.h"
#include "qujat/mfa/gateway_client.h"
#include "qujat/mfa/guarantee_message.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/office.h"

namespace qujat::mfa {

inline constexpr const char* kTopic = "mfa.check";

struct ExchangeSettings {
  GatewayClientOptions gateway;
  config::MfaAnswer answer = config::MfaAnswer::callback;
  int max_attempts = 8;
  std::chrono::seconds backoff_initial{2};
  std::chrono::seconds backoff_max{600};
  std::chrono::seconds poll_interval{60};
  // How long a claimed message is this worker's: longer than one delivery
  // can take (connect + total timeout), so no live worker loses its claim.
  std::chrono::seconds lease{40};
  std::size_t batch = 8;  // messages claimed at once
};

ExchangeSettings exchange_settings(const config::MfaSettings& mfa);

// The delay before attempt `attempts` + 1: initial * 2^(attempts-1), at most
// `max`, then a random part of it taken off (jitter: between half and all of
// it), so that workers that failed together do not retry together.
std::chrono::seconds backoff_delay(const ExchangeSettings& settings, std::int64_t attempts);

// One line for the operator's log (JSON: event, check, key, error...).
using ExchangeLog = std::function<void(const nlohmann::json&)>;

struct CallbackResult {
  int status = 200;     // HTTP status for the ministry
  std::string body;     // SOAP: an acknowledgement or a Fault
  std::string outcome;  // "recorded", "already_answered", "mfa.callback.*" refusal code
};

class GuaranteeExchange {
 public:
  // `transport_key` signs every request; `mfa_certificate` is the only
  // signer accepted on replies and callbacks (pinned). Both must outlive it.
  GuaranteeExchange(const workflow::LicensingOffice& office, ExchangeSettings settings,
                    const pki::KeyStore& transport_key, pki::Certificate mfa_certificate, ExchangeLog log);

  // One round: claims up to `batch` due messages as `worker` at `now` and
  // delivers each. Returns how many were claimed.
  std::size_t deliver_due(const std::string& worker, Instant now) const;

  // Asks the gateway about checks that were sent and have no answer yet,
  // and records the answers that came. Returns how many were recorded.
  std::size_t poll(Instant now) const;

  // A callback of the ministry: the WS-Security signature is verified
  // against the MFA's certificate, the answer must name a check the office
  // sent and must not repeat an answer message already taken. A refusal
  // changes nothing and is logged. Never throws for bad input.
  CallbackResult handle_callback(std::string_view envelope) const;

  const ExchangeSettings& settings() const { return settings_; }
  // Writes one line to the exchange's log (the worker's own events).
  void report(const nlohmann::json& line) const { log_(line); }

 private:
  void deliver(const store::OutboxMessage& message, const std::string& worker, Instant now) const;
  // Verifies a signed reply or callback; the body the signature covers.
  std::string verified_body(std::string_view envelope) const;
  // Records an answer; false when the check already had one.
  bool record(const std::string& check_id, const GuaranteeAnswer& answer, const char* via) const;

  const workflow::LicensingOffice& office_;
  ExchangeSettings settings_;
  GatewayClient client_;
  const pki::KeyStore& transport_key_;
  pki::Certificate mfa_certificate_;
  ExchangeLog log_;
};

// The callback's answer as an HTTP response (SOAP, text/xml), its outcome
// in the access log: what `qujat serve` answers at POST /api/v1/mfa/callback.
http::Response to_response(const CallbackResult& result);

// The exchange as the configuration describes it ([mfa]; the transport key
// is [mfa] transport_key, else the [issuer] key), holding its key. open()
// gives null when [mfa] endpoint or certificate is not set: then nothing
// is sent and callbacks are refused.
class ConfiguredExchange {
 public:
  static std::unique_ptr<ConfiguredExchange> open(const config::Config& config,
                                                  const std::map<std::string, std::string>& environment,
                                                  const workflow::LicensingOffice& office, ExchangeLog log);
  GuaranteeExchange& exchange() { return *exchange_; }

 private:
  ConfiguredExchange() = default;
  std::unique_ptr<pki::KeyStore> key_;
  std::unique_ptr<GuaranteeExchange> exchange_;
};

// Why the last delivery attempt failed, as an officer reads it: the error
// code, its wording in kk/ru/en (templates/messages/mfa.json) and the
// technical detail (curl's or the gateway's words, in English).
struct AttemptError {
  std::string code;    // "mfa.transport", "mfa.gateway_status", ...
  std::string detail;  // the text the attempt recorded
  i18n::Message message;
};
// Reads the outbox's "code: detail" text; a text without a code is
// "mfa.delivery".
AttemptError attempt_error(const std::string& recorded);
nlohmann::json to_json(const AttemptError& error);  // {"code", "message": {kk, ru, en}, "detail"}

// A check set aside after max_attempts, as officers see it.
struct ParkedCheck {
  std::string check_id;
  std::string application_id;
  std::string idempotency_key;
  std::int64_t attempts = 0;
  std::string last_error;
  Instant requested_at{};
};

std::vector<ParkedCheck> parked_checks(store::Database& db);
nlohmann::json to_json(const ParkedCheck& check);
// An officer puts a parked check back in the queue (attempts start over; the
// idempotency key stays). False when the check is not parked.
bool requeue_check(store::Database& db, const std::string& check_id, Instant now);

// The checks' requests in the outbox in one delivery state ("pending",
// "parked", "delivered"), oldest first: the officer desk's list, whose
// entries are named by their message id.
struct CheckMessage {
  std::string message_id;
  std::string application_id;
  std::string check_id;
  std::string state;
  std::int64_t attempts = 0;
  Instant next_attempt_at{};
  Instant created_at{};
  std::optional<std::string> last_error;  // as recorded; to_json explains it (attempt_error)
};
std::vector<CheckMessage> check_messages(store::Database& db, const std::string& state);
// The requests of one application's checks not delivered yet (pending or
// parked), by check id: what the officer's page of the application shows
// beside each check.
std::map<std::string, CheckMessage> undelivered_messages(store::Database& db, const std::string& application_id);
nlohmann::json to_json(const CheckMessage& message);
// requeue_check by the request's message id. False when no parked request
// of a check has that id.
bool requeue_message(store::Database& db, const std::string& message_id, Instant now);

// Runs deliver_due (and poll, when answers are polled) on its own thread
// until stop(): wakes every second at most, or when nudge() says new checks
// were queued. Scheduling uses `clock` (the machine's clock in the service,
// so that backoff runs even when the office's clock is fixed for a demo).
class GuaranteeCheckWorker {
 public:
  GuaranteeCheckWorker(const GuaranteeExchange& exchange, const Clock& clock, std::string name);
  ~GuaranteeCheckWorker();  // stop()
  GuaranteeCheckWorker(const GuaranteeCheckWorker&) = delete;
  GuaranteeCheckWorker& operator=(const GuaranteeCheckWorker&) = delete;

  void start();
  void stop();  // waits for the delivery in progress (at most one timeout)
  void nudge();
  const std::string& name() const { return name_; }

 private:
  void run();

  const GuaranteeExchange& exchange_;
  const Clock& clock_;
  std::string name_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
};

}  // namespace qujat::mfa
