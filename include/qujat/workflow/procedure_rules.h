// The legal terms of each service the procedure runs, from
// templates/procedure/services.json (seed references beside every number):
// the term in working days, the completeness check, the fee in MRP, when the
// guarantee document goes to the MFA, whether one document is issued per
// commodity code; the registration cut-off per service (configuration) and
// the MRP of each year (configuration: the yearly budget law sets it).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "qujat/model/kind.h"

namespace qujat::i18n {
class TemplateRoot;
}

namespace qujat::workflow {

enum class MfaRule {
  on_request,            // only when an officer asks
  first_export_or_risk,  // the first export to a counterparty, or risks reported (000: 300-316)
  always,                // every application (re-export permits, 002: 151)
};

struct ServiceRules {
  model::Kind kind;
  int term_working_days = 30;
  int completeness_working_days = 2;
  int fee_mrp = 0;
  MfaRule mfa = MfaRule::on_request;
  std::vector<std::string> mfa_control_codes;  // empty: every code
  bool one_document_per_commodity_code = false;
  bool approvals_required = false;  // the "agreed" box (licences' 17, the permit's) must be filled
  // The refusal ground that an MFA answer (negative, or none within a
  // calendar year of sending) supports, and that nothing else may: 0 = none.
  int mfa_ground = 0;
  std::chrono::minutes cutoff{18 * 60 + 30};  // registration after this time moves to the next working day
};

struct ProcedureRules {
  std::map<model::Kind, ServiceRules> services;
  int reissue_term_working_days = 3;
  int reissue_fee_mrp = 1;
  int hearing_notice_working_days_before_due = 3;
  int hearing_within_working_days = 2;
  int mfa_silence_years = 1;
  std::map<int, std::int64_t> mrp_by_year;  // tenge

  // templates/procedure/services.json, with the registration cut-offs
  // (per kind, else `default_cutoff`; local Almaty time since midnight) and
  // the MRP of each year from the configuration. Throws
  // qujat::Error("procedure.rules") naming the entry.
  static ProcedureRules load(const i18n::TemplateRoot& templates,
                             const std::map<model::Kind, std::chrono::minutes>& cutoffs,
                             std::chrono::minutes default_cutoff, std::map<int, std::int64_t> mrp_by_year);

  // nullptr for kinds the procedure does not run (refusals, notices, reports).
  const ServiceRules* service(model::Kind kind) const;
  // The fee in tenge for `mrp` monthly calculation indices in `year`;
  // throws qujat::Error("procedure.mrp_unknown") when the year has no MRP configured.
  std::int64_t fee_tenge(int mrp, int year) const;
};

}  // namespace qujat::workflow
