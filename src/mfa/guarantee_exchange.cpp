#include "qujat/mfa/guarantee_exchange.h"

#include <algorithm>
#include <random>

#include "qujat/common/error.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/mfa/guarantee_message.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/office_runtime.h"
#include "qujat/workflow/procedure.h"
#include "qujat/workflow/procedure_error.h"
#include "qujat/xml/document.h"

namespace qujat::mfa {
namespace {

using nlohmann::json;

constexpr const char* kCheckAction = "urn:qujat:mfa:guarantee-check:1#GuaranteeCheck";
constexpr const char* kStatusAction = "urn:qujat:mfa:guarantee-check:1#GuaranteeCheckStatus";

std::int64_t seconds(Instant t) { return t.time_since_epoch().count(); }

std::string describe(const std::exception& e) {
  if (const auto* error = dynamic_cast<const Error*>(&e)) return error->code() + ": " + error->full_message();
  return e.what();
}

// Errors that no retry can mend: the check must wait for an officer.
bool permanent(const std::exception& e) {
  const auto* error = dynamic_cast<const Error*>(&e);
  return error != nullptr && (error->code() == "mfa.no_guarantee_document" || error->code() == "mfa.check_not_found");
}

// The faultstring and detail of a SOAP Fault, for the officer's view of a
// failed attempt ("" when the reply is not one).
std::string fault_of(const std::string& reply) {
  try {
    const auto doc = xml::Document::parse(reply);
    std::string out;
    for (const char* name : {"faultstring", "detail"})
      for (const xmlNode* node : xml::descendants(doc.root(), "", name))
        out += " " + xml::text_content(node).substr(0, 300);
    return out.empty() ? "" : ":" + out;
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

ExchangeSettings exchange_settings(const config::MfaSettings& mfa) {
  ExchangeSettings s;
  s.gateway = {mfa.endpoint, mfa.ca_file, mfa.connect_timeout, mfa.timeout};
  s.answer = mfa.answer;
  s.max_attempts = mfa.max_attempts;
  s.backoff_initial = mfa.backoff_initial;
  s.backoff_max = mfa.backoff_max;
  s.poll_interval = mfa.poll_interval;
  s.lease = mfa.connect_timeout + mfa.timeout + std::chrono::seconds(10);
  s.batch = 1;
  return s;
}

std::chrono::seconds backoff_delay(const ExchangeSettings& settings, std::int64_t attempts) {
  const std::int64_t max = std::max<std::int64_t>(1, settings.backoff_max.count());
  std::int64_t base = std::max<std::int64_t>(1, settings.backoff_initial.count());
  for (std::int64_t i = 1; i < attempts && base < max; ++i) base *= 2;
  base = std::min(base, max);
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> jitter((base + 1) / 2, base);
  return std::chrono::seconds(jitter(random));
}

GuaranteeExchange::GuaranteeExchange(const workflow::LicensingOffice& office, ExchangeSettings settings,
                                     const pki::KeyStore& transport_key, pki::Certificate mfa_certificate,
                                     ExchangeLog log)
    : office_(office),
      settings_(std::move(settings)),
      client_(settings_.gateway),
      transport_key_(transport_key),
      mfa_certificate_(std::move(mfa_certificate)),
      log_(log ? std::move(log) : [](const json&) {}) {}

std::size_t GuaranteeExchange::deliver_due(const std::string& worker, Instant now) const {
  const auto claimed = office_.db.write([&](store::Transaction& tx) {
    return store::Outbox::claim(tx, kTopic, worker, now, settings_.lease, settings_.batch);
  });
  for (const auto& message : claimed) deliver(message, worker, now);
  return claimed.size();
}

void GuaranteeExchange::deliver(const store::OutboxMessage& message, const std::string& worker, Instant now) const {
  const std::string check_id = message.payload.value("check_id", message.subject);
  json line = {{"event", "mfa.delivery"},
               {"check", check_id},
               {"key", message.idempotency_key},
               {"attempt", message.attempts},
               {"worker", worker}};
  try {
    const auto request = office_.db.read([&](store::Transaction& tx) { return load_request(tx, check_id); });
    if (request.idempotency_key != message.idempotency_key)
      throw Error("mfa.key_mismatch", "check " + check_id + " has key " + request.idempotency_key + ", the message " +
                                          message.idempotency_key);
    const auto envelope = dsig::wss_sign(request_envelope(request), transport_key_);
    const auto reply = client_.post(envelope, kCheckAction);
    if (reply.status != 200)
      throw Error("mfa.gateway_status",
                  "the MFA gateway answered HTTP " + std::to_string(reply.status) + fault_of(reply.body));
    const auto body = parse_body(verified_body(reply.body));
    // An answer in the reply is recorded before the message is settled: a
    // crash in between sends the request again (same key), and the repeated
    // answer changes nothing.
    if (body.answer) {
      if (body.answer->idempotency_key != message.idempotency_key)
        throw Error("mfa.reply",
                    "the reply answers " + body.answer->idempotency_key + ", not " + message.idempotency_key);
      line["answer"] = body.answer->result;
      line["recorded"] = record(check_id, *body.answer, "reply");
    } else if (!body.receipt || *body.receipt != message.idempotency_key) {
      throw Error("mfa.reply", "the reply is neither an answer nor a receipt for " + message.idempotency_key);
    }
    const bool settled = office_.db.write([&](store::Transaction& tx) {
      tx.execute(
          "UPDATE guarantee_checks SET sent_at = COALESCE(sent_at, ?), "
          "state = CASE WHEN answer IS NULL THEN 'sent' ELSE state END WHERE id = ?",
          {seconds(now), check_id});
      return store::Outbox::delivered(tx, message.id, worker, now);
    });
    line["outcome"] = settled ? "delivered" : "delivered_after_lease";
    log_(line);
    return;
  } catch (const std::exception& e) {
    line["error"] = describe(e);
    const bool park = permanent(e) || message.attempts >= settings_.max_attempts;
    const auto next = now + backoff_delay(settings_, message.attempts);
    try {
      office_.db.write([&](store::Transaction& tx) {
        if (store::Outbox::failed(tx, message.id, worker, line["error"].get<std::string>(), next, park) && park)
          tx.execute("UPDATE guarantee_checks SET state = 'parked' WHERE id = ? AND answer IS NULL", {check_id});
      });
    } catch (const std::exception& store_error) {
      // The claim runs out and another attempt follows; the message stays.
      line["store_error"] = describe(store_error);
    }
    line["outcome"] = park ? "parked" : "retry";
    if (!park) line["next_attempt_in"] = (next - now).count();
    log_(line);
  }
}

std::string GuaranteeExchange::verified_body(std::string_view envelope) const {
  dsig::VerifyOptions options;
  options.require_signing_key = false;  // a system's transport signature
  dsig::WssVerifyOptions wss;
  wss.expected_signer = mfa_certificate_;
  auto verification = dsig::wss_verify_envelope(envelope, options, wss);
  if (!verification.valid() || !verification.body) {
    std::string why = "the signature does not hold";
    if (!verification.report.signatures.empty() && !verification.report.signatures.front().errors.empty())
      why = verification.report.signatures.front().errors.front();
    else if (!verification.report.errors.empty())
      why = verification.report.errors.front();
    throw Error("mfa.signature", "the MFA's WS-Security signature was not accepted: " + why);
  }
  return *verification.body;
}

bool GuaranteeExchange::record(const std::string& check_id, const GuaranteeAnswer& answer, const char* via) const {
  workflow::Procedure procedure(office_);
  return procedure.record_guarantee_answer(
      check_id, answer.result, answer.message_id,
      {{"via", via}, {"message_id", answer.message_id}, {"comment", answer.comment}}, workflow::Actor::system("mfa"));
}

std::size_t GuaranteeExchange::poll(Instant now) const {
  const auto waiting = office_.db.read([&](store::Transaction& tx) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row :
         tx.query("SELECT id, idempotency_key FROM guarantee_checks WHERE state = 'sent' AND answer IS NULL "
                  "ORDER BY sent_at LIMIT 100"))
      out.emplace_back(row.text(0), row.text(1));
    return out;
  });
  std::size_t recorded = 0;
  for (const auto& [check_id, key] : waiting) {
    json line = {{"event", "mfa.poll"}, {"check", check_id}, {"key", key}, {"at", seconds(now)}};
    try {
      const auto reply = client_.post(dsig::wss_sign(status_envelope(key), transport_key_), kStatusAction);
      if (reply.status != 200)
        throw Error("mfa.gateway_status", "the MFA gateway answered HTTP " + std::to_string(reply.status));
      const auto body = parse_body(verified_body(reply.body));
      if (body.answer && body.answer->idempotency_key == key) {
        line["answer"] = body.answer->result;
        if (record(check_id, *body.answer, "poll")) ++recorded;
      } else {
        line["answer"] = nullptr;
      }
    } catch (const std::exception& e) {
      line["error"] = describe(e);
    }
    log_(line);
  }
  return recorded;
}

CallbackResult GuaranteeExchange::handle_callback(std::string_view envelope) const {
  json line = {{"event", "mfa.callback"}};
  const auto refuse = [&](int status, const std::string& code, const std::string& why) {
    line["outcome"] = "rejected";
    line["code"] = code;
    line["error"] = why;
    log_(line);
    return CallbackResult{status, fault_envelope(code, why), code};
  };
  std::string body;
  try {
    body = verified_body(envelope);
  } catch (const std::exception& e) {
    return refuse(403, "mfa.callback.signature", describe(e));
  }
  GuaranteeMessage message;
  try {
    message = parse_body(body);
  } catch (const std::exception& e) {
    return refuse(400, "mfa.callback.malformed", describe(e));
  }
  if (!message.answer) return refuse(400, "mfa.callback.not_an_answer", "the callback carries no GuaranteeCheckAnswer");
  const auto& answer = *message.answer;
  line["key"] = answer.idempotency_key;
  line["message_id"] = answer.message_id;
  try {
    const auto known = office_.db.read([&](store::Transaction& tx) {
      std::pair<std::optional<std::string>, bool> out;
      if (const auto row =
              tx.query_row("SELECT id FROM guarantee_checks WHERE idempotency_key = ?", {answer.idempotency_key}))
        out.first = row->text(0);
      out.second = tx.query_row("SELECT id FROM guarantee_checks WHERE answer_id = ?", {answer.message_id}).has_value();
      return out;
    });
    if (!known.first)
      return refuse(404, "mfa.callback.unknown_check", "no guarantee check has the key " + answer.idempotency_key);
    line["check"] = *known.first;
    if (known.second)
      return refuse(409, "mfa.callback.replay", "the answer message " + answer.message_id + " was taken before");
    const bool recorded = record(*known.first, answer, "callback");
    line["outcome"] = recorded ? "recorded" : "already_answered";
    line["answer"] = answer.result;
    log_(line);
    return {200, acknowledgement_envelope(answer.message_id, line["outcome"]), line["outcome"]};
  } catch (const workflow::ProcedureError& e) {
    return refuse(404, "mfa.callback.unknown_check", describe(e));
  } catch (const std::exception& e) {
    line["outcome"] = "error";
    line["error"] = describe(e);
    log_(line);
    return {503, fault_envelope("mfa.callback.unavailable", "the answer could not be recorded now; send it again"),
            "mfa.callback.unavailable"};
  }
}

http::Response to_response(const CallbackResult& result) {
  auto response = http::Response::text(result.status, result.body, "text/xml; charset=utf-8");
  response.log_fields["outcome"] = result.outcome;
  return response;
}

std::unique_ptr<ConfiguredExchange> ConfiguredExchange::open(const config::Config& config,
                                                             const std::map<std::string, std::string>& environment,
                                                             const workflow::LicensingOffice& office, ExchangeLog log) {
  if (config.mfa.endpoint.empty() || config.mfa.certificate.empty()) return nullptr;
  const auto& source = config.mfa.transport.configured() ? config.mfa.transport : config.issuer.key;
  if (!source.configured()) throw Error("config.missing", "config: [mfa] transport_key or [issuer] key: required");
  std::unique_ptr<ConfiguredExchange> out(new ConfiguredExchange);
  out->key_ = std::make_unique<pki::KeyStore>(
      pki::load_pkcs12(source.key.string(), workflow::key_password(source, environment)));
  out->exchange_ =
      std::make_unique<GuaranteeExchange>(office, exchange_settings(config.mfa), *out->key_,
                                          pki::Certificate::from_file(config.mfa.certificate.string()), std::move(log));
  return out;
}

AttemptError attempt_error(const std::string& recorded) {
  // describe() wrote "code: detail"; a code is lower-case words and dots.
  // An unknown code keeps the whole text as the detail.
  const auto& catalogue = i18n::MessageCatalogue::standard("mfa");
  AttemptError out{"mfa.delivery", recorded, {}};
  const auto colon = recorded.find(": ");
  if (colon != std::string::npos && colon > 0 &&
      recorded.find_first_not_of("abcdefghijklmnopqrstuvwxyz_.") == colon &&
      catalogue.has(std::string_view(recorded).substr(0, colon))) {
    out.code = recorded.substr(0, colon);
    out.detail = recorded.substr(colon + 2);
  }
  out.message = catalogue.render(out.code, {});
  return out;
}

json to_json(const AttemptError& e) {
  return {{"code", e.code}, {"message", e.message.to_json()}, {"detail", e.detail}};
}

std::vector<ParkedCheck> parked_checks(store::Database& db) {
  return db.read([](store::Transaction& tx) {
    std::vector<ParkedCheck> out;
    for (const auto& row :
         tx.query("SELECT g.id, g.application_id, g.idempotency_key, o.attempts, o.last_error, g.requested_at "
                  "FROM outbox o JOIN guarantee_checks g ON g.idempotency_key = o.idempotency_key "
                  "WHERE o.topic = ? AND o.state = 'parked' ORDER BY g.requested_at, g.id",
                  {std::string(kTopic)}))
      out.push_back({row.text(0), row.text(1), row.text(2), row.integer(3), row.optional_text(4).value_or(""),
                     Instant(std::chrono::seconds(row.integer(5)))});
    return out;
  });
}

json to_json(const ParkedCheck& c) {
  return {{"check_id", c.check_id},
          {"application_id", c.application_id},
          {"idempotency_key", c.idempotency_key},
          {"attempts", c.attempts},
          {"last_error", c.last_error},
          {"last_error_explained", to_json(attempt_error(c.last_error))},
          {"requested_at", format_instant_utc(c.requested_at)}};
}

namespace {

// A parked request back in the queue, and its check shown as queued again
// (docs/mfa.md); the idempotency key stays.
bool requeue(store::Transaction& tx, const std::optional<store::OutboxMessage>& message, Instant now) {
  if (!message || message->topic != kTopic || !store::Outbox::requeue(tx, message->id, now)) return false;
  tx.execute("UPDATE guarantee_checks SET state = 'queued' WHERE idempotency_key = ? AND answer IS NULL",
             {message->idempotency_key});
  return true;
}

}  // namespace

bool requeue_check(store::Database& db, const std::string& check_id, Instant now) {
  return db.write([&](store::Transaction& tx) {
    const auto row = tx.query_row("SELECT idempotency_key FROM guarantee_checks WHERE id = ?", {check_id});
    return row && requeue(tx, store::Outbox::find_by_key(tx, row->text(0)), now);
  });
}

bool requeue_message(store::Database& db, const std::string& message_id, Instant now) {
  return db.write([&](store::Transaction& tx) { return requeue(tx, store::Outbox::find(tx, message_id), now); });
}

namespace {
CheckMessage check_message_of(const store::OutboxMessage& m) {
  return {m.id,          m.payload.value("application_id", ""), m.payload.value("check_id", ""), m.state, m.attempts,
          m.next_attempt_at, m.created_at, m.last_error};
}
}  // namespace

std::vector<CheckMessage> check_messages(store::Database& db, const std::string& state) {
  return db.read([&](store::Transaction& tx) {
    std::vector<CheckMessage> out;
    for (const auto& m : store::Outbox::list(tx, std::string(kTopic), state)) out.push_back(check_message_of(m));
    return out;
  });
}

std::map<std::string, CheckMessage> undelivered_messages(store::Database& db, const std::string& application_id) {
  return db.read([&](store::Transaction& tx) {
    std::map<std::string, CheckMessage> out;
    // A check's request is the outbox message under the check's idempotency key.
    for (const auto& row :
         tx.query("SELECT id, idempotency_key FROM guarantee_checks WHERE application_id = ?", {application_id})) {
      const auto m = store::Outbox::find_by_key(tx, row.text(1));
      if (m && m->topic == kTopic && m->state != "delivered") out.emplace(row.text(0), check_message_of(*m));
    }
    return out;
  });
}

json to_json(const CheckMessage& c) {
  json out = {{"id", c.message_id},
              {"application_id", c.application_id},
              {"check_id", c.check_id},
              {"state", c.state},
              {"attempts", c.attempts},
              {"next_attempt_at", format_instant_local(c.next_attempt_at)},
              {"created_at", format_instant_local(c.created_at)},
              {"last_error", nullptr}};
  if (c.last_error) {
    out["last_error"] = *c.last_error;
    out["last_error_explained"] = to_json(attempt_error(*c.last_error));
  }
  return out;
}

GuaranteeCheckWorker::GuaranteeCheckWorker(const GuaranteeExchange& exchange, const Clock& clock, std::string name)
    : exchange_(exchange), clock_(clock), name_(std::move(name)) {}

GuaranteeCheckWorker::~GuaranteeCheckWorker() { stop(); }

void GuaranteeCheckWorker::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void GuaranteeCheckWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GuaranteeCheckWorker::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void GuaranteeCheckWorker::run() {
  const bool polling = exchange_.settings().answer == config::MfaAnswer::poll;
  Instant next_poll = clock_.now();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::size_t claimed = 0;
    try {
      claimed = exchange_.deliver_due(name_, clock_.now());
      if (polling && clock_.now() >= next_poll) {
        exchange_.poll(clock_.now());
        next_poll = clock_.now() + exchange_.settings().poll_interval;
      }
    } catch (const std::exception& e) {
      // The store is away (restart, failover): the next round tries again;
      // claimed messages come back when their lease runs out.
      exchange_.report({{"event", "mfa.worker"}, {"worker", name_}, {"error", describe(e)}});
    }
    if (claimed >= exchange_.settings().batch) continue;  // more may be due
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || nudged_; });
    nudged_ = false;
  }
}

}  // namespace qujat::mfa
