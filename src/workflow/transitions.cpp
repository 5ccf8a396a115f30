#include "workflow/transitions.h"

#include "qujat/common/clock.h"
#include "qujat/store/audit.h"
#include "qujat/store/outbox.h"

namespace qujat::workflow {

std::string almaty_time(Instant at) { return format_instant_local(at); }

void write_transition(store::Transaction& tx, Transition& t, Instant at, bool inserted) {
  auto& application = t.application;
  if (!inserted) store::ApplicationRegistry::update(tx, application, at);
  const std::string state(store::name(application.state));
  const auto seq = store::ApplicationRegistry::append_event(
      tx, application.id, store::ApplicationEvent{0, at, state, t.action, t.actor, t.reason, t.details});

  nlohmann::json audit_details = t.details;
  audit_details["state"] = state;
  audit_details["registration_number"] = application.registration_number;
  store::AuditLog::append(tx, t.actor, "application." + t.action, application.id, t.reason.value_or(""),
                          std::move(audit_details), at);

  // The stage feed carries no personal data beyond the office's own numbers.
  store::Outbox::enqueue(tx, "monitoring", application.id + ":" + std::to_string(seq), application.id,
                         {{"application_id", application.id},
                          {"registration_number", application.registration_number},
                          {"service", application.kind},
                          {"stage", state},
                          {"action", t.action},
                          {"at", almaty_time(at)},
                          {"registered_on", format_date(application.registered_on)},
                          {"due_on", format_date(application.due_on)}},
                         at);
}

}  // namespace qujat::workflow
