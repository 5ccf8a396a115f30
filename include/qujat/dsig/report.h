// What a verification found, signature by signature: the shape of
// `qujat verify --json` (ARCHITECTURE.md), shared by XMLDSig, CMS and PDF
// verification so every caller reads one structure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "qujat/common/error.h"
#include "qujat/common/finding.h"
#include "qujat/common/time.h"
#include "qujat/i18n/messages.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/chain.h"
#include "qujat/pki/revocation.h"

namespace qujat::dsig {

enum class ChainStatus { Trusted, Untrusted, NotChecked };
std::string_view name(ChainStatus s);  // "trusted", "untrusted", "not_checked"

// One finding of a verification as a person reads it: a stable code, the
// values it names and its wording in Kazakh, Russian and English from
// templates/messages/verify.json (the shape of `qujat check --json` problems,
// without the path).
struct Problem {
  std::string code;  // "reference.digest_mismatch", "xml.doctype.entity", ...
  Params params;     // {"signature": "1", "reference": "1", "uri": ""}
  i18n::Message message;
  nlohmann::json to_json() const;  // {"code", "params", "message": {"kk", "ru", "en"}}
};

// templates/messages/verify.json, loaded once. Never throws: verification
// must not fail for want of wording, so without the file every message is
// its code and values (as for a code missing from the catalogue).
const i18n::MessageCatalogue& verification_messages();
// Words a finding.
Problem describe(const Finding& finding);
// Words a finding that wraps another one ("TSA: ...", "its CMS could not be
// read: ..."): {detail} in each language becomes the inner message in that language.
Problem describe(const Finding& finding, const Problem& inner);
// A failure that reached the report as a qujat::Error: its own finding when
// it has one, else "verify.error" / "signature.error" with its code and
// English text as detail. `context` ({"signature": "2"}) is added to the params.
Finding finding_of(const Error& e, const Params& context = {});

// Every code the verification can report (xml, dsig, cms, wss, chain,
// revocation, pdf) with the params it fills: the catalogue must word each one
// in kk, ru and en using only these params.
struct CodeSpec {
  std::string_view code;
  std::vector<std::string_view> params;
};
const std::vector<CodeSpec>& verification_codes();

// An RFC 3161 timestamp token found on a signature (CMS unsigned attribute).
struct TimestampReport {
  // "valid", "invalid" or "indeterminate" (an algorithm qujat cannot
  // compute; never "valid" unless checked).
  std::string status = "indeterminate";
  std::optional<Instant> gen_time;
  std::string policy;          // dotted OID
  std::string hash_algorithm;  // dotted OID of the message imprint
  std::string serial_hex;
  std::string tsa;             // subject of the TSA certificate when present
  std::vector<std::string> errors;  // the problems' English wording (same order)
  std::vector<Problem> problems;    // coded and in kk/ru/en

  // Records a failed check: the finding in problems, its English wording in errors.
  void fail(const Finding& finding);
  void record(Problem problem);
};

struct SignatureReport {
  bool valid = false;                // every check below passed
  bool cryptographic_valid = false;  // digests and signature value
  // "Cannot check" is not "invalid" (ETSI EN 319 102-1 INDETERMINATE): an
  // algorithm qujat cannot compute, or a detached CMS given without its
  // content. cryptographic_valid stays false, so the signature is not valid;
  // the reason is a problem (cannot_check) or, for missing content, a notice.
  bool cryptographic_indeterminate = false;
  std::string algorithm;             // "gost2015-512", "rsa-sha256", ... ("" when unknown)
  pki::Identity signer;
  std::optional<pki::Certificate> certificate;  // the signer's certificate, when found
  std::optional<pki::TimeStatus> time;          // at VerifyOptions::at, else now
  ChainStatus chain = ChainStatus::NotChecked;
  pki::RevocationStatus revocation = pki::RevocationStatus::NotChecked;
  std::optional<Instant> signing_time;  // CMS signingTime / PDF /M when present
  std::optional<TimestampReport> timestamp;
  // errors and notes are the English wording of problems and notices, in
  // the same order (the CLI contract keeps English strings beside the coded
  // findings); both come from templates/messages/verify.json, never from C++.
  std::vector<std::string> errors;  // which check failed and why
  std::vector<std::string> notes;   // facts that are not failures
  std::vector<Problem> problems;    // the errors, coded and in kk/ru/en
  std::vector<Problem> notices;     // the notes, coded and in kk/ru/en

  // Records a failed check: the finding in problems, its English wording in errors.
  void fail(const Finding& finding);
  // The same with a finding already worded (copied from a nested report).
  void record(Problem problem);
  // Records a remark that is not a failure: the finding in notices, its English wording in notes.
  void note(const Finding& finding);
  // The cryptography could not be checked, for this reason (recorded as a problem).
  void cannot_check(const Finding& why);
  // "valid", "invalid" or "indeterminate": the report's "cryptographic".
  std::string_view cryptographic() const;

  // valid = cryptographic_valid && time within validity && chain not
  // untrusted && not revoked && no errors. Call after filling the checks.
  void conclude();
  nlohmann::json to_json() const;
};

struct VerificationReport {
  std::string format;  // "xmldsig", "cms", "pdf", "wss"
  bool valid = false;  // at least one signature and all of them valid
  // The input could not be read as a signed document at all (unreadable,
  // unsupported, malformed or hostile): exit code 2.
  bool malformed = false;
  std::vector<SignatureReport> signatures;
  std::vector<std::string> errors;  // the problems' English wording (the CLI contract)
  std::vector<Problem> problems;    // coded and in kk/ru/en (same order)
  std::vector<std::string> notes;   // facts about the whole check (which trust was used), English
  std::vector<Problem> notices;     // the notes, coded and in kk/ru/en (same order)

  // Records a failure of the whole input: the finding in problems, its English wording in errors.
  void fail(const Finding& finding);
  void record(Problem problem);
  // Records a fact about the whole check that is not a failure.
  void note(const Finding& finding);

  // valid = !malformed && errors empty && signatures non-empty && each valid.
  void conclude();
  // Not valid because some signature could not be checked, while none was
  // found cryptographically invalid: "cannot tell", not "forged".
  bool indeterminate() const;
  // 0 all valid; 1 some signature invalid/untrusted/expired/revoked, or
  // indeterminate (not valid, whatever the reason); 2 malformed.
  int exit_code() const;
  nlohmann::json to_json() const;
  std::string to_json_text(int indent = -1) const;
  // Human summary, one block per signature, in one language (labels and
  // findings from templates/messages/verify.json).
  std::string to_text(i18n::Language lang = i18n::Language::en) const;
};

}  // namespace qujat::dsig
