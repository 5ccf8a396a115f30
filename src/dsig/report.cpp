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

void SignatureReport::conclude() {
  valid = cryptographic_valid && time == pki::TimeStatus::WithinValidity && chain != ChainStatus::Untrusted &&
          revocation != pki::RevocationStatus::Revoked && errors.empty();
}

nlohmann::json SignatureReport::to_json() const {
  nlohmann::json j;
  j["valid"] = valid;
  j["cryptographic"] = cryptographic_valid ? "valid" : "invalid";
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
    j["timestamp"] = t;
  } else {
    j["timestamp"] = nullptr;
  }
  j["errors"] = errors;
  if (!notes.empty()) j["notes"] = notes;
  return j;
}

void VerificationReport::conclude() {
  valid = !malformed && errors.empty() && !signatures.empty();
  for (const auto& s : signatures) valid = valid && s.valid;
}

int VerificationReport::exit_code() const {
  if (malformed) return 2;
  return valid ? 0 : 1;
}

nlohmann::json VerificationReport::to_json() const {
  nlohmann::json j;
  j["valid"] = valid;
  j["format"] = format;
  j["signatures"] = nlohmann::json::array();
  for (const auto& s : signatures) j["signatures"].push_back(s.to_json());
  j["errors"] = errors;
  return j;
}

std::string VerificationReport::to_json_text(int indent) const { return to_json().dump(indent); }

std::string VerificationReport::to_text() const {
  std::ostringstream out;
  out << (valid ? "VALID" : (malformed ? "UNREADABLE" : "INVALID")) << " (" << format << ", " << signatures.size()
      << (signatures.size() == 1 ? " signature" : " signatures") << ")\n";
  for (const auto& e : errors) out << "  error: " << e << "\n";
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    const auto& s = signatures[i];
    out << "signature " << i + 1 << ": " << (s.valid ? "valid" : "NOT valid") << "\n";
    out << "  cryptographic: " << (s.cryptographic_valid ? "valid" : "invalid") << "  algorithm: " << s.algorithm << "\n";
    if (s.certificate) {
      out << "  signer: " << s.signer.common_name;
      if (!s.signer.iin.empty()) out << "  IIN " << s.signer.iin;
      if (!s.signer.bin.empty()) out << "  BIN " << s.signer.bin;
      if (!s.signer.organization.empty()) out << "  (" << s.signer.organization << ")";
      out << "\n  certificate: serial " << s.certificate->serial_hex() << ", issuer " << s.certificate->issuer()
          << ", valid " << format_instant_utc(s.certificate->not_before()) << " .. "
          << format_instant_utc(s.certificate->not_after()) << "\n";
    }
    out << "  time: " << (s.time ? std::string(pki::name(*s.time)) : std::string("not_checked"))
        << "  chain: " << name(s.chain) << "  revocation: " << pki::name(s.revocation) << "\n";
    if (s.signing_time) out << "  signing time: " << format_instant_utc(*s.signing_time) << "\n";
    if (s.timestamp) {
      out << "  timestamp: " << s.timestamp->status;
      if (s.timestamp->gen_time) out << " at " << format_instant_utc(*s.timestamp->gen_time);
      out << "\n";
      for (const auto& e : s.timestamp->errors) out << "    timestamp: " << e << "\n";
    }
    for (const auto& e : s.errors) out << "  error: " << e << "\n";
    for (const auto& n : s.notes) out << "  note: " << n << "\n";
  }
  return out.str();
}

}  // namespace qujat::dsig
