// `qujat check`: everything wrong with one application, each problem with its
// JSON pointer, a stable code and a message in Kazakh, Russian and English.
// The messages come from templates/messages/check.json (wording is data, not
// code); the rules are those of the forms in ../shared/docs/SPEC.md and the
// contract in ../shared/docs/APPLICATION-JSON.md (docs/application.md).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/i18n/messages.h"
#include "qujat/model/kind.h"

namespace qujat::model {

// The catalogue moved to i18n so that `qujat verify` (dsig) words its
// findings the same way without depending on the application model.
using Message = i18n::Message;
using MessageCatalogue = i18n::MessageCatalogue;

// One thing wrong with the application.
struct Problem {
  std::string path;                           // JSON pointer: "/goods/0/hs_code" ("" = the whole document)
  std::string code;                           // stable: "bin.check_digit", "validity.over_one_year", ...
  std::map<std::string, std::string> params;  // the values the message names ({"value": "EUX"})
  Message message;
};

// The outcome of a check: no problems means complete and well-formed.
struct CheckReport {
  std::optional<Kind> kind;  // the kind the document was checked as
  std::vector<Problem> problems;

  bool ok() const noexcept { return problems.empty(); }
  // {"valid": bool, "kind": "...", "problems": [{"path","code","params","message":{kk,ru,en}}]}
  nlohmann::json to_json() const;
  // True when some problem sits at `path` or below it.
  bool mentions(std::string_view path) const;
};

// templates/messages/check.json (i18n::MessageCatalogue::standard("check")),
// loaded once; throws qujat::Error("i18n.messages") naming every place tried.
const MessageCatalogue& check_messages();

// Checks a parsed application. `expected` (the CLI's --kind) must match its
// `kind` field, else a "kind.mismatch" problem. Never throws for bad data:
// every defect becomes a Problem.
CheckReport check_application(const nlohmann::json& application, std::optional<Kind> expected = std::nullopt);
CheckReport check_application(const nlohmann::json& application, std::optional<Kind> expected,
                              const MessageCatalogue& messages);

// Checks an application as an applicant submits it: as check_application,
// except that the blocks the office fills when it decides (an issued
// licence's `licence`, a permit's `permit`, a certificate's `certificate`)
// are not required, and must not be there ("field.decided_by_office").
CheckReport check_submission(const nlohmann::json& application);

// The field of a kind that the office's decision fills ("licence",
// "permit", "certificate"), or "" when the kind has none.
std::string_view decision_field(Kind kind) noexcept;

// Every problem code the checker can report (the catalogue must cover them).
std::vector<std::string_view> problem_codes();

}  // namespace qujat::model
