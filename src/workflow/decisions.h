// The data of the office's decisions, built from the application and the
// case file: the licences (one per 10-digit commodity code, 000: 203-209),
// the certificate or permit, the reasoned refusal, the refusal to consider
// further and the hearing notice. Each is an application JSON of its kind
// that the checker and the documents engine take like any other. Internal
// to workflow.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/store/applications.h"
#include "qujat/workflow/office.h"

namespace qujat::workflow {

// The issuer as the documents print the signatory: {"full_name", "position"}.
nlohmann::json signatory_json(const IssuerProfile& issuer);
// The licensor box (licences' 19, the permit's 15): body, position, name, date.
nlohmann::json licensor_json(const IssuerProfile& issuer, Date date);

// A licence's validity: from the issue date (never earlier, nor earlier than
// asked), one year at most, cut to the earliest expiry of the documents it
// rests on (000: 197-201) and to the period asked for.
struct Validity {
  Date from;
  Date until;
};
Validity licence_validity(const nlohmann::json& application, Date issue_date);

// The goods split by 10-digit commodity code, in the order they first appear.
std::vector<std::vector<nlohmann::json>> goods_by_commodity_code(const nlohmann::json& application);

// The issued document data for one licence / certificate / permit: the
// application with its goods (when split), its validity and the decision
// block (`licence`, `certificate` or `permit`) filled in.
nlohmann::json issued_document(const nlohmann::json& application, model::Kind kind,
                               const std::vector<nlohmann::json>* goods, const std::string& number, Date issue_date,
                               const Validity& validity, const nlohmann::json& approvals, const IssuerProfile& issuer);

// The addressee of the office's letters: the applicant as it applied.
nlohmann::json addressee_of(const nlohmann::json& application, model::Kind kind);

struct LetterBase {
  std::string number;
  Date date;
  const store::ApplicationRecord* application = nullptr;
};

nlohmann::json refusal_to_consider(const LetterBase& base, const nlohmann::json& missing, const nlohmann::json& expired,
                                   const std::optional<nlohmann::json>& details, const IssuerProfile& issuer);
// `guarantee_check`: the MFA check that supports ground 12, when cited
// ({"sent_on", "result": "negative" | "none", "answered_on"?}).
nlohmann::json hearing_notice(const LetterBase& base, const nlohmann::json& grounds, const nlohmann::json& hearing,
                              const std::optional<nlohmann::json>& guarantee_check, const IssuerProfile& issuer);
nlohmann::json refusal(const LetterBase& base, const nlohmann::json& grounds,
                       const std::optional<nlohmann::json>& guarantee_check, const IssuerProfile& issuer);

}  // namespace qujat::workflow
