// Checks that a verification report words every finding for a person: a
// known code (dsig::verification_codes()), exactly the params that code
// names, and a filled-in message in Kazakh, Russian and English.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "qujat/dsig/report.h"

namespace qujat::test {

inline const dsig::CodeSpec* code_spec(const std::string& code) {
  for (const auto& spec : dsig::verification_codes())
    if (spec.code == code) return &spec;
  return nullptr;
}

inline void expect_worded(const dsig::Problem& p) {
  const auto* spec = code_spec(p.code);
  ASSERT_NE(spec, nullptr) << "code not in verification_codes(): " << p.code;
  EXPECT_TRUE(dsig::verification_messages().has(p.code)) << p.code;
  // Every declared param is given; a wrapping finding (timestamp.tsa,
  // pdf.cms_unreadable_because) adds its cause's code and params on top.
  for (auto name : spec->params) {
    if (name == "detail" && p.params.count("cause") != 0) continue;  // filled from the inner message
    EXPECT_EQ(p.params.count(std::string(name)), 1u) << p.code << " lacks param " << name;
  }
  if (p.params.count("cause") == 0) {
    for (const auto& [name, value] : p.params) {
      EXPECT_NE(std::find(spec->params.begin(), spec->params.end(), name), spec->params.end())
          << p.code << " has undeclared param " << name;
    }
  }
  for (const std::string* text : {&p.message.kk, &p.message.ru, &p.message.en}) {
    EXPECT_FALSE(text->empty()) << p.code;
    for (auto name : spec->params)
      EXPECT_EQ(text->find("{" + std::string(name) + "}"), std::string::npos) << p.code << ": " << *text;
  }
  EXPECT_NE(p.message.kk, p.message.en) << p.code;
  EXPECT_NE(p.message.ru, p.message.en) << p.code;
}

// Every problem and notice of the report, report level first.
inline std::vector<dsig::Problem> all_problems(const dsig::VerificationReport& report) {
  std::vector<dsig::Problem> out = report.problems;
  for (const auto& s : report.signatures) {
    out.insert(out.end(), s.problems.begin(), s.problems.end());
    out.insert(out.end(), s.notices.begin(), s.notices.end());
    if (s.timestamp) out.insert(out.end(), s.timestamp->problems.begin(), s.timestamp->problems.end());
  }
  return out;
}

inline void expect_all_worded(const dsig::VerificationReport& report) {
  EXPECT_EQ(report.errors.size(), report.problems.size());
  for (const auto& s : report.signatures) {
    EXPECT_EQ(s.errors.size(), s.problems.size()) << "errors and problems must pair up";
    EXPECT_EQ(s.notes.size(), s.notices.size()) << "notes and notices must pair up";
  }
  for (const auto& p : all_problems(report)) expect_worded(p);
}

inline std::optional<dsig::Problem> find_problem(const dsig::VerificationReport& report, const std::string& code) {
  for (auto& p : all_problems(report))
    if (p.code == code) return p;
  return std::nullopt;
}

}  // namespace qujat::test
