// The licensing procedure (seed 000 chapter 2, with 002 and 003 where they
// differ): an application moves from registration through the completeness
// check, approvals and risk assessment, the MFA's authenticity check of the
// guarantee document, a hearing when grounds for refusal appear, to a
// licence (one per commodity code), a certificate or permit, or a reasoned
// refusal, each signed by the issuer key and put in the applicant's cabinet
// in the same transaction. Every action is checked against the state and
// the legal terms; every transition writes the history, the hash-chained
// audit and the monitoring outbox in that one transaction.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qujat/store/applications.h"
#include "qujat/store/documents.h"
#include "qujat/workflow/actor.h"
#include "qujat/workflow/office.h"

namespace qujat::workflow {

// The officers' actions (API.md) and the ones this office adds.
inline constexpr const char* kActions[] = {
    "accept",                 // the package is complete (or an officer overrides, with a reason)
    "return",                 // reasoned refusal to consider further: the missing or expired documents
    "record_approval",        // an approving or control body's answer (Decrees 1083, 283)
    "record_risk_assessment", // the risk assessment after the control bodies answered
    "request_mfa_check",      // send the guarantee document to the MFA; the term stops
    "record_mfa_answer",      // the MFA's answer, when it came by other means than the exchange
    "preliminary_refusal",    // grounds found: hearing notice to the applicant
    "record_hearing",         // the hearing was held
    "issue",                  // the licence(s), certificate or permit
    "refuse",                 // reasoned refusal after the hearing
    "reissue",                // re-issue of an issued licence: a new document supersedes the old
    "revoke",                 // the issued documents are revoked
};

struct ActionRequest {
  std::string action;
  nlohmann::json body = nlohmann::json::object();  // the action's fields (API.md), as sent
  std::map<std::string, Bytes> files;              // documents the officer attaches (sha256 -> file)
};

struct ActionOutcome {
  store::ApplicationRecord application;
  std::vector<store::DocumentRecord> documents;  // issued by this action (without files)
  std::vector<std::string> flags;                // what an officer should notice ("ground_not_heard:7", ...)
};

// What a person may see of an application: the applicant its state,
// dates, history and documents; an officer also the case file, the intake
// report and the allowed actions.
struct ApplicationView {
  store::ApplicationRecord application;
  std::vector<store::ApplicationEvent> history;
  std::vector<store::DocumentRecord> documents;
  std::vector<std::string> allowed_actions;  // for officers
  nlohmann::json guarantee_checks = nlohmann::json::array();
};

class Procedure {
 public:
  explicit Procedure(const LicensingOffice& office);

  // Carries out an officer's action. Throws ProcedureError: not_found,
  // forbidden (not an officer), not_allowed (with the allowed actions),
  // invalid (with the field at fault).
  ActionOutcome act(const std::string& id, const ActionRequest& request, const Actor& officer) const;

  // The application as `viewer` may see it; not_found when it is another
  // applicant's (existence is not revealed). An applicant's view leaves the
  // application's data and intake report empty: to_json shows them to officers only.
  ApplicationView view(const std::string& id, const Actor& viewer) const;
  // The viewer's cabinet: their own applications, newest first.
  std::vector<store::ApplicationRecord> cabinet(const Actor& viewer) const;
  // The officers' queue, earliest due date first.
  std::vector<store::ApplicationRecord> queue(const Actor& officer, std::optional<store::ApplicationState> state) const;
  // A document's record for `viewer` (with its files when asked): the holder
  // and officers only; not_found otherwise.
  store::DocumentRecord document(const std::string& number, const Actor& viewer, bool with_files) const;

  // The actions the state of `application` allows today.
  std::vector<std::string> allowed_actions(const store::ApplicationRecord& application) const;

  // The MFA's answer to a guarantee check (from the exchange's worker or
  // callback): recorded once per check; moves the application back to
  // review and resumes its term. `answer`: authentic | not_authentic |
  // cannot_determine. Returns false when the check already had an answer
  // (a repeated answer changes nothing).
  bool record_guarantee_answer(const std::string& check_id, const std::string& answer, const std::string& answer_id,
                               const nlohmann::json& details, const Actor& actor) const;

  // A general licence's execution report (000: 439-455), filed by its
  // holder: decreases the remaining quantity per goods item; a report beyond
  // the remainder is refused (invalid). Returns the remaining quantities.
  nlohmann::json report_execution(const std::string& licence_number, const nlohmann::json& report,
                                  const Actor& holder) const;

  // True when `viewer` may see an application or document held by iin/bin.
  static bool may_see(const Actor& viewer, const std::string& owner_iin, const std::string& owner_bin);
  // The due date as shown today: while the term stands still (awaiting the
  // MFA) it moves on with every working day.
  Date displayed_due_on(const store::ApplicationRecord& application) const;

 private:
  const LicensingOffice& office_;
};

// The JSON of an application for the API and `qujat status` (API.md shape:
// id, kind, state, registered_on, due_on, history, documents with xml/pdf
// links and verify_url; officers get more). `document_url` turns a number
// and an extension ("xml", "pdf") into the download link.
nlohmann::json to_json(const ApplicationView& view, const Procedure& procedure, const docs::DocumentEngine& engine,
                       bool for_officer);
// The same as JSON text, written directly (common/json_text.h): the status
// read is the service's most frequent answer, and building its nlohmann
// tree and dumping it was a quarter of its time. to_json parses this text,
// so the two cannot differ.
std::string to_json_text(const ApplicationView& view, const Procedure& procedure,
                         const docs::DocumentEngine& engine, bool for_officer);
nlohmann::json summary_json(const store::ApplicationRecord& application, const Procedure& procedure);

}  // namespace qujat::workflow
