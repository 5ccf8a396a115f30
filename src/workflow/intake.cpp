#include "qujat/workflow/intake.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <set>

#include "qujat/dsig/cms.h"
#include "qujat/model/application.h"
#include "qujat/store/audit.h"
#include "qujat/store/document_numbering.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/procedure_error.h"
#include "qujat/workflow/qualification_requirements.h"
#include "workflow/transitions.h"

namespace qujat::workflow {
namespace {

using Kind = ProcedureError::Kind;

std::string sha256_hex(ByteView data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw OpenSslError("intake.digest", "SHA-256 failed");
  return hex_encode(ByteView(digest, length));
}

// The party that applies for each service (its signature is required).
const char* applicant_field(model::Kind kind) {
  switch (kind) {
    case model::Kind::euc:
    case model::Kind::iic: return "importer";
    default: return "applicant";
  }
}

// Why a signature is not acceptable, as one code (the report keeps the detail).
std::string refusal_code(const dsig::SignatureReport& s) {
  for (const auto& p : s.problems)
    if (p.code == "certificate.authentication_only") return "signature.authentication_key";
  if (!s.cryptographic_valid) return "signature.invalid";
  if (s.revocation == pki::RevocationStatus::Revoked) return "signature.revoked";
  if (s.time && *s.time == pki::TimeStatus::Expired) return "signature.certificate_expired";
  if (s.time && *s.time == pki::TimeStatus::NotYetValid) return "signature.certificate_not_yet_valid";
  if (s.chain != dsig::ChainStatus::Trusted) return "signature.untrusted";
  return "signature.invalid";
}

std::vector<model::Problem> signature_problems(const dsig::VerificationReport& report) {
  std::vector<model::Problem> out;
  for (const auto& p : report.problems) out.push_back({"/cms", p.code, p.params, p.message});
  for (std::size_t i = 0; i < report.signatures.size(); ++i)
    for (const auto& p : report.signatures[i].problems)
      out.push_back({"/cms/signatures/" + std::to_string(i), p.code, p.params, p.message});
  return out;
}

// A signer may apply for `party` when the certificate names the same person
// (IIN) or, for a legal entity, the same BIN with the role of first head or
// of a person with signing authority (KZ-PKI.md: 1.2.398.3.3.4.1.2.1/.2.2).
bool signs_for(const pki::Identity& signer, const model::Party& party) {
  if (party.type == model::PartyType::legal_entity) {
    if (party.bin.empty() || signer.bin != party.bin) return false;
    for (const auto role : signer.roles)
      if (role == pki::Role::FirstHead || role == pki::Role::AuthorisedSignatory) return true;
    return false;
  }
  if (!party.iin.empty()) return signer.iin == party.iin;
  // A foreign party signs with the IIN or BIN Kazakhstan gave it, if any.
  if (!party.bin.empty()) return signer.bin == party.bin;
  return false;
}

std::string uuid_v4() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw OpenSslError("intake.random", "no random bytes");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

nlohmann::json signer_json(const pki::Identity& id) {
  nlohmann::json roles = nlohmann::json::array();
  for (const auto r : id.roles) roles.push_back(std::string(pki::name(r)));
  return {{"iin", id.iin}, {"bin", id.bin}, {"common_name", id.common_name}, {"roles", roles}};
}

}  // namespace

std::string new_application_id() { return uuid_v4(); }

Intake::Intake(const LicensingOffice& office, IntakeLimits limits) : office_(office), limits_(limits) {}

store::ApplicationRecord Intake::submit(const Submission& submission, const std::optional<Actor>& submitter) const {
  const Instant received_at = office_.clock.now();
  try {
    return register_application(submission, submitter, received_at);
  } catch (const ProcedureError& refused) {
    // Only the attempt is kept: who tried, when, and why it was refused.
    const std::string actor = submitter ? submitter->label() : "anonymous";
    nlohmann::json details = {{"code", refused.code()}, {"params", refused.params()},
                              {"cms_sha256", sha256_hex(submission.signed_application)}};
    office_.db.write([&](store::Transaction& tx) {
      store::AuditLog::append(tx, actor, "intake.refused", "", refused.code(), details, received_at);
    });
    throw;
  }
}

store::ApplicationRecord Intake::register_application(const Submission& submission,
                                                      const std::optional<Actor>& submitter,
                                                      Instant received_at) const {
  // 1. The signature: valid, trusted, current, not revoked, a signing key.
  auto checks = office_.signatures;
  checks.at = received_at;
  const auto report = dsig::verify_cms(submission.signed_application, std::nullopt, checks);
  if (report.malformed) throw ProcedureError(Kind::signature, "signature.unreadable", {}, {}, signature_problems(report));
  if (report.signatures.empty()) throw ProcedureError(Kind::signature, "signature.missing");
  std::optional<Bytes> content;
  try {
    content = dsig::cms_content(submission.signed_application);
  } catch (const Error&) {
  }
  if (!content) throw ProcedureError(Kind::signature, "signature.detached");
  for (std::size_t i = 0; i < report.signatures.size(); ++i) {
    const auto& s = report.signatures[i];
    if (!s.valid)
      throw ProcedureError(Kind::signature, refusal_code(s), {{"signature", std::to_string(i + 1)}}, {},
                           signature_problems(report));
    // Where the office checks revocation, "not revoked" must be proven (a
    // current CRL or OCSP answer), not merely unknown.
    if (checks.revocation != nullptr && s.revocation != pki::RevocationStatus::Good)
      throw ProcedureError(Kind::signature, "signature.revocation_unknown", {{"signature", std::to_string(i + 1)}}, {},
                           signature_problems(report));
  }

  // 2. The application inside: well-formed and complete as a submission.
  nlohmann::json json;
  try {
    json = model::read_application_json(as_chars(*content));
  } catch (const Error&) {
    throw ProcedureError(Kind::invalid, "application.unreadable");
  }
  const auto check = model::check_submission(json);
  if (!check.ok()) throw ProcedureError(Kind::invalid, "application.invalid", {}, {}, check.problems);
  const auto application = model::Application::from_submission(json);
  const auto* service = office_.rules.service(application.kind());
  if (service == nullptr)
    throw ProcedureError(Kind::invalid, "application.not_a_service",
                         {{"kind", std::string(model::kind_name(application.kind()))}});

  // 3. The signer is the applicant (and, for an EUC, the end user co-signs),
  // and the person logged in.
  const auto applicant = application.party(applicant_field(application.kind()));
  if (!applicant) throw ProcedureError(Kind::invalid, "application.invalid");
  std::vector<std::pair<std::string, model::Party>> parties = {{applicant_field(application.kind()), *applicant}};
  if (application.kind() == model::Kind::euc)
    if (const auto end_user = application.party("end_user");
        end_user && end_user->type != model::PartyType::foreign &&
        end_user->identification_number() != applicant->identification_number())
      parties.emplace_back("end_user", *end_user);
  for (const auto& [field, party] : parties) {
    bool signed_by_party = false;
    for (const auto& s : report.signatures) signed_by_party = signed_by_party || signs_for(s.signer, party);
    if (!signed_by_party) throw ProcedureError(Kind::signature, "signer.not_applicant", {{"party", field}});
  }
  if (submitter) {
    bool signed_by_submitter = false;
    for (const auto& s : report.signatures) signed_by_submitter = signed_by_submitter || s.signer.iin == submitter->iin;
    if (!signed_by_submitter) throw ProcedureError(Kind::signature, "signer.not_logged_in_user");
  }

  // 4. The files: each named by its SHA-256 in `attachments`, none extra.
  if (submission.files.size() > limits_.max_files)
    throw ProcedureError(Kind::invalid, "files.too_many", {{"limit", std::to_string(limits_.max_files)}});
  std::size_t total = 0;
  std::set<std::string> named;
  const auto* attachments = application.find("attachments");
  if (attachments != nullptr && attachments->is_array())
    for (std::size_t i = 0; i < attachments->size(); ++i)
      if (const auto it = (*attachments)[i].find("sha256"); it != (*attachments)[i].end()) {
        const std::string hash = it->get<std::string>();
        named.insert(hash);
        if (!submission.files.contains(hash))
          throw ProcedureError(Kind::invalid, "attachment.file_missing",
                               {{"field", "/attachments/" + std::to_string(i) + "/sha256"}, {"sha256", hash}});
      }
  for (const auto& [hash, file] : submission.files) {
    total += file.size();
    if (file.size() > limits_.max_file_bytes)
      throw ProcedureError(Kind::invalid, "files.too_large",
                           {{"sha256", hash}, {"limit", std::to_string(limits_.max_file_bytes)}});
    if (sha256_hex(file) != hash)
      throw ProcedureError(Kind::invalid, "attachment.sha256_mismatch", {{"sha256", hash}});
    if (!named.contains(hash)) throw ProcedureError(Kind::invalid, "attachment.not_named", {{"sha256", hash}});
  }
  if (total > limits_.max_total_bytes)
    throw ProcedureError(Kind::invalid, "files.too_large_in_total", {{"limit", std::to_string(limits_.max_total_bytes)}});

  // 5. Registration on the working calendar, then one transaction for all
  // that is stored: the application, its files, its first history event,
  // the audit entry and the monitoring message.
  const auto& calendar = office_.calendar;
  const Date registered_on = calendar.registration_date(received_at, service->cutoff);
  store::ApplicationRecord record;
  record.id = new_application_id();
  record.kind = std::string(model::kind_name(application.kind()));
  record.state = store::ApplicationState::registered;
  record.owner_iin = applicant->type == model::PartyType::legal_entity ? "" : applicant->iin;
  record.owner_bin = applicant->type == model::PartyType::legal_entity ? applicant->bin : "";
  if (record.owner_iin.empty() && record.owner_bin.empty()) record.owner_bin = applicant->bin;
  record.submitted_by = report.signatures.front().signer.iin;
  for (const auto& s : report.signatures)
    if (submitter && s.signer.iin == submitter->iin) record.submitted_by = s.signer.iin;
  record.received_at = received_at;
  record.registered_on = registered_on;
  record.term_days = service->term_working_days;
  record.due_on = calendar.add_working_days(registered_on, service->term_working_days);
  record.data = json;
  record.signed_application = submission.signed_application;
  record.intake = report.to_json();
  record.updated_at = received_at;
  nlohmann::json signers = nlohmann::json::array();
  for (const auto& s : report.signatures) signers.push_back(signer_json(s.signer));
  record.case_file = {{"completeness_due_on",
                       format_date(calendar.add_working_days(registered_on, service->completeness_working_days))},
                      {"signers", signers}};
  if (office_.requirements != nullptr)
    record.case_file["completeness"] = office_.requirements->check(application, registered_on).to_json();

  office_.db.write([&](store::Transaction& tx) {
    const int year = static_cast<int>(registered_on.year());
    record.registration_number =
        store::DocumentNumbering::format("KZ-APP", year, store::next_in_sequence(tx, "application", year));
    store::ApplicationRegistry::insert(tx, record);
    for (const auto& [hash, file] : submission.files) store::ApplicationRegistry::add_file(tx, record.id, hash, file);
    Transition t{record, "submit", record.submitted_by, std::nullopt,
                 {{"registration_number", record.registration_number},
                  {"registered_on", format_date(record.registered_on)},
                  {"due_on", format_date(record.due_on)},
                  {"signers", signers}}};
    write_transition(tx, t, received_at, /*insert=*/true);
  });
  return record;
}

}  // namespace qujat::workflow
