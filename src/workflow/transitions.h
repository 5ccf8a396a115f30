// What every move of an application writes, in the transaction of the move:
// the row itself, a history event, an entry of the hash-chained audit and a
// message for the monitoring system of public services (000: 380-388).
// Internal to workflow.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "qujat/store/applications.h"
#include "qujat/store/database.h"

namespace qujat::workflow {

struct Transition {
  store::ApplicationRecord& application;  // as it is after the move
  std::string action;                     // "submit", "accept", "issue", ...
  std::string actor;                      // IIN, or "system" / "mfa"
  std::optional<std::string> reason;
  nlohmann::json details = nlohmann::json::object();
};

// `inserted`: the row was just inserted (intake), so it is not updated.
void write_transition(store::Transaction& tx, Transition& transition, Instant at, bool inserted = false);

// "2026-03-20T15:30:00+05:00": times shown to people are Almaty time (UTC+5).
std::string almaty_time(Instant at);

}  // namespace qujat::workflow
