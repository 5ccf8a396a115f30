#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "qujat/pki/chain.h"
#include "qujat/pki/revocation.h"
#include "support/paths.h"

namespace qujat::fuzz {
namespace {

pki::Certificate certificate(const std::string& relative) { return pki::Certificate::from_file(data_path(relative)); }

std::vector<std::string> files_in(const std::string& relative) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(data_path(relative)))
    if (entry.is_regular_file()) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

const pki::RevocationChecker& nca_revocation() {
  static const auto checker = [] {
    auto c = std::make_unique<pki::RevocationChecker>();
    for (const auto& f : files_in("crl")) c->add_crl_file(f);
    for (const auto& f : files_in("ocsp")) c->add_ocsp_response_file(f);
    return c;
  }();
  return *checker;
}

// The scratch file lives as long as the process, one per process (the
// libFuzzer jobs of `scripts/fuzz` may run side by side).
struct Scratch {
  std::string path;
  Scratch() {
    path = (std::filesystem::temp_directory_path() / ("qujat-fuzz-" + std::to_string(getpid()) + ".bin")).string();
  }
  ~Scratch() { std::remove(path.c_str()); }
};

const dsig::CodeSpec* code_spec(const std::string& code) {
  for (const auto& spec : dsig::verification_codes())
    if (spec.code == code) return &spec;
  return nullptr;
}

// The same rules as tests/support/findings.h expect_worded, without GoogleTest.
void check_worded(const dsig::Problem& p) {
  const auto* spec = code_spec(p.code);
  if (spec == nullptr) broken("code not in verification_codes(): " + p.code);
  if (!dsig::verification_messages().has(p.code)) broken("code without wording: " + p.code);
  for (auto name : spec->params) {
    if (name == "detail" && p.params.count("cause") != 0) continue;
    if (p.params.count(std::string(name)) != 1) broken(p.code + " lacks param " + std::string(name));
  }
  if (p.params.count("cause") == 0)
    for (const auto& [name, value] : p.params)
      if (std::find(spec->params.begin(), spec->params.end(), name) == spec->params.end())
        broken(p.code + " has undeclared param " + name);
  for (const std::string* text : {&p.message.kk, &p.message.ru, &p.message.en})
    if (text->empty()) broken(p.code + " has an empty message");
}

}  // namespace

std::string data_path(const std::string& relative) {
  return (test::source_root() / "tests" / "fuzz" / "data" / relative).string();
}

Instant check_time() {
  static const Instant at = *parse_instant("2022-10-01T00:00:00Z");
  return at;
}

const std::vector<pki::Certificate>& nca_anchors() {
  static const auto anchors = [] {
    std::vector<pki::Certificate> out;
    for (const auto& f : files_in("ca")) out.push_back(pki::Certificate::from_file(f));
    return out;
  }();
  return anchors;
}

const dsig::VerifyOptions& nca_verify_options(bool require_signing_key) {
  static const auto make = [](bool signing_key) {
    dsig::VerifyOptions o;
    for (const auto& c : nca_anchors()) o.trust.add_anchor(c);
    o.revocation = &nca_revocation();
    o.at = check_time();
    o.require_signing_key = signing_key;
    return o;
  };
  static const dsig::VerifyOptions document = make(true);
  static const dsig::VerifyOptions transport = make(false);
  return require_signing_key ? document : transport;
}

const std::vector<IssuedPair>& nca_pairs() {
  static const std::vector<IssuedPair> pairs = {
      {certificate("certs/individual_valid_2015_gost.cer"), certificate("ca/nca_gost2022_test.cer")},
      {certificate("certs/ceo_revoked_2015_gost.cer"), certificate("ca/nca_gost2022_test.cer")},
      {certificate("certs/individual_valid_sign_2004_rsa.cer"), certificate("ca/nca_rsa_test.crt")},
      {certificate("certs/individual_sign_revoked_2004.cer"), certificate("ca/nca_rsa_test.crt")},
      {certificate("certs/ceo_sign_revoked_2004.cer"), certificate("ca/nca_gost_test.crt")},
  };
  return pairs;
}

const std::string& scratch_file(ByteView data) {
  static const Scratch scratch;
  write_file(scratch.path, data);
  return scratch.path;
}

void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz: invariant broken: %s\n", what.c_str());
  std::abort();
}

void exercise(const dsig::VerificationReport& report) {
  (void)report.to_json_text(2);
  (void)report.to_text(i18n::Language::kk);
  const int exit_code = report.exit_code();
  if (report.valid) {
    if (report.malformed) broken("a malformed input is reported valid");
    if (report.signatures.empty()) broken("an input without signatures is reported valid");
    for (const auto& s : report.signatures)
      if (!s.valid || !s.cryptographic_valid) broken("a valid report holds an invalid signature");
    if (exit_code != 0) broken("a valid report exits " + std::to_string(exit_code));
  } else {
    if (exit_code == 0) broken("an invalid report exits 0");
    if (report.errors.empty() && !report.signatures.empty())
      for (const auto& s : report.signatures) {
        if (s.valid) continue;
        const bool explained = !s.errors.empty() || (s.time && *s.time != pki::TimeStatus::WithinValidity) ||
                               s.chain == dsig::ChainStatus::Untrusted ||
                               s.revocation == pki::RevocationStatus::Revoked;
        if (!explained) broken("an invalid signature says no reason");
      }
  }
  if (report.errors.size() != report.problems.size()) broken("report errors and problems do not pair up");
  for (const auto& p : report.problems) check_worded(p);
  for (const auto& s : report.signatures) {
    if (s.errors.size() != s.problems.size()) broken("signature errors and problems do not pair up");
    if (s.notes.size() != s.notices.size()) broken("signature notes and notices do not pair up");
    if (s.valid && !s.errors.empty()) broken("a valid signature carries errors");
    for (const auto& p : s.problems) check_worded(p);
    for (const auto& p : s.notices) check_worded(p);
    if (s.timestamp)
      for (const auto& p : s.timestamp->problems) check_worded(p);
  }
}

}  // namespace qujat::fuzz
