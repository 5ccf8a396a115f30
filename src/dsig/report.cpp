#include "qujat/dsig/report.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace qujat::dsig {

std::string_view name(ChainStatus s) {
  switch (s) {
    case ChainStatus::Trusted: return "trusted";
    case ChainStatus::Untrusted: return "untrusted";
    case ChainStatus::NotChecked: return "not_checked";
  }
  return "not_checked";
}

const i18n::MessageCatalogue& verification_messages() {
  static const i18n::MessageCatalogue catalogue = [] {
    try {
      return i18n::MessageCatalogue::standard("verify");
    } catch (const Error&) {
      // A missing templates folder must not turn a valid signature into a
      // failed verification; the messages fall back to code and values.
      return i18n::MessageCatalogue(nlohmann::json{{"messages", nlohmann::json::object()}});
    }
  }();
  return catalogue;
}

Problem describe(const Finding& finding) {
  return {finding.code, finding.params, verification_messages().render(finding.code, finding.params)};
}

Problem describe(const Finding& finding, const Problem& inner) {
  Problem p = describe(finding);
  auto nest = [](std::string& text, const std::string& detail) {
    if (auto pos = text.find("{detail}"); pos != std::string::npos) text.replace(pos, 8, detail);
  };
  nest(p.message.kk, inner.message.kk);
  nest(p.message.ru, inner.message.ru);
  nest(p.message.en, inner.message.en);
  // The inner finding stays machine-readable beside the outer one.
  p.params["cause"] = inner.code;
  for (const auto& [k, v] : inner.params) p.params.try_emplace(k, v);
  return p;
}

Finding finding_of(const Error& e, const Params& context) {
  Finding f = e.finding();
  if (f.code.empty()) {
    // An error nobody worded for a person (xmlsec, OpenSSL, I/O): its code and
    // English text are the best description there is.
    f.code = context.count("signature") != 0 ? "signature.error" : "verify.error";
    f.params = {{"error", e.code()}, {"detail", e.full_message()}};
  }
  for (const auto& [k, v] : context) f.params.try_emplace(k, v);
  return f;
}

nlohmann::json Problem::to_json() const {
  return {{"code", code}, {"params", params}, {"message", message.to_json()}};
}

namespace {
nlohmann::json problems_json(const std::vector<Problem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems) out.push_back(p.to_json());
  return out;
}
}  // namespace

// Each finding is worded once, in the catalogue: the English string of the
// CLI contract is its "en" text.
void TimestampReport::fail(const Finding& finding) { record(describe(finding)); }

void TimestampReport::record(Problem problem) {
  errors.push_back(problem.message.en);
  problems.push_back(std::move(problem));
}

void SignatureReport::fail(const Finding& finding) { record(describe(finding)); }

void SignatureReport::record(Problem problem) {
  errors.push_back(problem.message.en);
  problems.push_back(std::move(problem));
}

void SignatureReport::note(const Finding& finding) {
  Problem notice = describe(finding);
  notes.push_back(notice.message.en);
  notices.push_back(std::move(notice));
}

void SignatureReport::cannot_check(const Finding& why) {
  cryptographic_indeterminate = true;
  cryptographic_valid = false;
  fail(why);
}

std::string_view SignatureReport::cryptographic() const {
  if (cryptographic_valid) return "valid";
  return cryptographic_indeterminate ? "indeterminate" : "invalid";
}

void VerificationReport::fail(const Finding& finding) { record(describe(finding)); }

void VerificationReport::record(Problem problem) {
  errors.push_back(problem.message.en);
  problems.push_back(std::move(problem));
}

void VerificationReport::note(const Finding& finding) {
  Problem notice = describe(finding);
  notes.push_back(notice.message.en);
  notices.push_back(std::move(notice));
}

void SignatureReport::conclude() {
  valid = cryptographic_valid && time == pki::TimeStatus::WithinValidity && chain != ChainStatus::Untrusted &&
          revocation != pki::RevocationStatus::Revoked && errors.empty();
}

nlohmann::json SignatureReport::to_json() const {
  nlohmann::json j;
  j["valid"] = valid;
  j["cryptographic"] = std::string(cryptographic());
  j["algorithm"] = algorithm;
  nlohmann::json roles = nlohmann::json::array();
  for (auto r : signer.roles) roles.push_back(std::string(pki::name(r)));
  j["signer"] = {{"iin", signer.iin},
                 {"bin", signer.bin},
                 {"common_name", signer.common_name},
                 {"organization", signer.organization},
                 {"roles", roles}};
  if (certificate) {
    j["certificate"] = {{"serial", certificate->serial_hex()},
                        {"subject", certificate->subject()},
                        {"issuer", certificate->issuer()},
                        {"not_before", format_instant_utc(certificate->not_before())},
                        {"not_after", format_instant_utc(certificate->not_after())}};
  } else {
    j["certificate"] = nullptr;
  }
  j["time"] = time ? nlohmann::json(std::string(pki::name(*time))) : nlohmann::json("not_checked");
  j["chain"] = std::string(name(chain));
  j["revocation"] = std::string(pki::name(revocation));
  j["signing_time"] = signing_time ? nlohmann::json(format_instant_utc(*signing_time)) : nlohmann::json(nullptr);
  if (timestamp) {
    nlohmann::json t;
    t["status"] = timestamp->status;
    t["gen_time"] = timestamp->gen_time ? nlohmann::json(format_instant_utc(*timestamp->gen_time)) : nlohmann::json(nullptr);
    t["policy"] = timestamp->policy;
    t["hash_algorithm"] = timestamp->hash_algorithm;
    t["serial"] = timestamp->serial_hex;
    t["tsa"] = timestamp->tsa;
    t["errors"] = timestamp->errors;
    t["problems"] = problems_json(timestamp->problems);
    j["timestamp"] = t;
  } else {
    j["timestamp"] = nullptr;
  }
  j["errors"] = errors;
  j["problems"] = problems_json(problems);
  if (!notes.empty()) j["notes"] = notes;
  if (!notices.empty()) j["notices"] = problems_json(notices);
  return j;
}

void VerificationReport::conclude() {
  valid = !malformed && errors.empty() && !signatures.empty();
  for (const auto& s : signatures) valid = valid && s.valid;
}

bool VerificationReport::indeterminate() const {
  if (valid || malformed) return false;
  bool any = false;
  for (const auto& s : signatures) {
    if (s.cryptographic() == "invalid") return false;
    any = any || s.cryptographic_indeterminate;
  }
  return any;
}

int VerificationReport::exit_code() const {
  if (malformed) return 2;
  return valid ? 0 : 1;
}

nlohmann::json VerificationReport::to_json() const {
  nlohmann::json j;
  j["valid"] = valid;
  j["indeterminate"] = indeterminate();
  j["format"] = format;
  j["signatures"] = nlohmann::json::array();
  for (const auto& s : signatures) j["signatures"].push_back(s.to_json());
  j["errors"] = errors;
  j["problems"] = problems_json(problems);
  if (!notes.empty()) j["notes"] = notes;
  if (!notices.empty()) j["notices"] = problems_json(notices);
  return j;
}

// Findings quote the input (libxml2 quotes the bytes it could not decode), so
// text that is not UTF-8 is replaced (U+FFFD) rather than failing the report.
std::string VerificationReport::to_json_text(int indent) const {
  return to_json().dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string VerificationReport::to_text(i18n::Language lang) const {
  // Labels are catalogue entries too ("text.*"), so the whole summary reads
  // in one language; values that are data (names, serials, dates) stay as they are.
  const auto& catalogue = verification_messages();
  auto say = [&](std::string_view code, const Params& params = {}) {
    return catalogue.render(code, params).in(lang);
  };
  auto word = [&](std::string_view prefix, std::string_view value) {
    return say(std::string(prefix) + std::string(value));
  };
  std::ostringstream out;
  const std::string status = say(valid             ? "text.valid"
                                 : malformed       ? "text.unreadable"
                                 : indeterminate() ? "text.indeterminate"
                                                   : "text.invalid");
  out << say(signatures.size() == 1 ? "text.summary_one" : "text.summary_many",
             {{"status", status}, {"format", format}, {"count", std::to_string(signatures.size())}})
      << "\n";
  const std::string error_label = say("text.error");
  for (const auto& p : problems) out << "  " << error_label << ": " << p.message.in(lang) << "\n";
  for (const auto& p : notices) out << "  " << say("text.note") << ": " << p.message.in(lang) << "\n";
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    const auto& s = signatures[i];
    out << say("text.signature", {{"signature", std::to_string(i + 1)},
                                  {"status", say(s.valid ? "text.signature_valid" : "text.signature_invalid")}})
        << "\n";
    out << "  "
        << say("text.cryptographic",
               {{"status", word("text.cryptographic_", s.cryptographic())}, {"algorithm", s.algorithm}})
        << "\n";
    if (s.certificate) {
      out << "  " << say("text.signer", {{"name", s.signer.common_name}});
      if (!s.signer.iin.empty()) out << "  " << say("text.iin", {{"iin", s.signer.iin}});
      if (!s.signer.bin.empty()) out << "  " << say("text.bin", {{"bin", s.signer.bin}});
      if (!s.signer.organization.empty()) out << "  (" << s.signer.organization << ")";
      out << "\n  "
          << say("text.certificate", {{"serial", s.certificate->serial_hex()},
                                      {"issuer", s.certificate->issuer()},
                                      {"not_before", format_instant_utc(s.certificate->not_before())},
                                      {"not_after", format_instant_utc(s.certificate->not_after())}})
          << "\n";
    }
    out << "  "
        << say("text.checks", {{"time", word("text.time.", s.time ? pki::name(*s.time) : "not_checked")},
                               {"chain", word("text.chain.", name(s.chain))},
                               {"revocation", word("text.revocation.", pki::name(s.revocation))}})
        << "\n";
    if (s.signing_time) out << "  " << say("text.signing_time", {{"time", format_instant_utc(*s.signing_time)}}) << "\n";
    if (s.timestamp) {
      out << "  " << say("text.timestamp", {{"status", word("text.timestamp.", s.timestamp->status)}});
      if (s.timestamp->gen_time)
        out << " " << say("text.timestamp_at", {{"time", format_instant_utc(*s.timestamp->gen_time)}});
      out << "\n";
      const std::string label = say("text.timestamp_error");
      for (const auto& p : s.timestamp->problems) out << "    " << label << ": " << p.message.in(lang) << "\n";
    }
    for (const auto& p : s.problems) out << "  " << error_label << ": " << p.message.in(lang) << "\n";
    const std::string note_label = say("text.note");
    for (const auto& p : s.notices) out << "  " << note_label << ": " << p.message.in(lang) << "\n";
  }
  return out.str();
}

}  // namespace qujat::dsig
