// The rules of `qujat check` on what the licensing body decides and on who
// may apply: the decision data of an issued licence or permit (boxes 7, 17,
// 19; permit 14, 15), a term that never starts before issue (000 lines
// 197-201), and the parties of an extraterritorial re-export (002 lines 103,
// 109).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "qujat/model/application.h"
#include "qujat/model/check.h"
#include "support/nca_material.h"

using namespace qujat::model;

namespace {

nlohmann::json sample(const std::string& name) {
  return read_application_file((qujat::test::source_dir() / "samples" / (name + ".json")).string());
}

std::string describe(const CheckReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += "\n  " + p.path + " " + p.code + ": " + p.message.en;
  return s;
}

bool has(const CheckReport& r, const std::string& path, const std::string& code) {
  for (const auto& p : r.problems)
    if (p.path == path && p.code == code) return true;
  return false;
}

}  // namespace

TEST(DecisionData, TheIssuedSamplesCarryEveryDecisionBox) {
  for (const char* name : {"export-licence", "export-licence-issued", "import-licence", "general-export-licence",
                           "trade-export-licence", "trade-import-licence"}) {
    auto app = sample(name);
    ASSERT_TRUE(app.contains("licence")) << name;
    EXPECT_TRUE(check_application(app).ok()) << name << describe(check_application(app));
  }
  EXPECT_TRUE(sample("reexport-permit").contains("permit"));
}

TEST(DecisionData, ApprovalsNameTheBodyAndItsLetter) {
  auto app = sample("export-licence-issued");
  auto& approval = app["licence"]["approvals"][0];
  approval.erase("letter_number");
  approval["number"] = "27/4-1182";  // the shape before the letter's fields were named
  auto report = check_application(app);
  EXPECT_TRUE(has(report, "/licence/approvals/0/letter_number", "field.missing")) << describe(report);
  EXPECT_TRUE(has(report, "/licence/approvals/0/number", "field.unknown")) << describe(report);
  app = sample("export-licence-issued");
  app["licence"]["approvals"][1]["body"] = "КНБ";  // a state body is named in both languages
  EXPECT_TRUE(has(check_application(app), "/licence/approvals/1/body", "text.bilingual"));
  app = sample("export-licence-issued");
  app["licence"]["approvals"] = nlohmann::json::array();
  EXPECT_TRUE(has(check_application(app), "/licence/approvals", "list.too_short"));
  app["licence"].erase("approvals");
  EXPECT_TRUE(has(check_application(app), "/licence/approvals", "field.missing"));
  // A trade licence (004) has no "agreed" box.
  auto trade = sample("trade-export-licence");
  ASSERT_FALSE(trade["licence"].contains("approvals"));
  EXPECT_TRUE(check_application(trade).ok());
}

TEST(DecisionData, TheLicensorNamesBodyPositionNameAndDate) {
  for (const char* field : {"body", "position", "full_name", "date"}) {
    auto app = sample("general-export-licence");
    app["licence"]["licensor"].erase(field);
    EXPECT_TRUE(has(check_application(app), std::string("/licence/licensor/") + field, "field.missing")) << field;
  }
  auto permit = sample("reexport-permit");
  permit["permit"]["licensor"].erase("body");
  EXPECT_TRUE(has(check_application(permit), "/permit/licensor/body", "field.missing"));
}

TEST(DecisionData, TheNumberMayBeLeftToTheNumberingStore) {
  auto app = sample("export-licence");
  ASSERT_FALSE(app["licence"].contains("number"));
  EXPECT_TRUE(check_application(app).ok());
}

// 000 lines 197-201: one year from issue, cut to the earliest expiry of its
// documents; never reaching back before the issue.
TEST(IssuedTerm, NeverStartsBeforeTheIssueDate) {
  auto app = sample("export-licence-issued");
  app["licence"]["valid_from"] = "2026-04-01";  // issued 2026-04-28
  auto report = check_application(app);
  EXPECT_TRUE(has(report, "/licence/valid_from", "validity.before_issue")) << describe(report);
  const auto& p = report.problems.front();
  EXPECT_EQ(p.params.at("issue_date"), "2026-04-28");
  EXPECT_NE(p.message.kk.find("2026-04-28"), std::string::npos);
  app["licence"]["valid_from"] = "2026-04-28";
  EXPECT_TRUE(check_application(app).ok()) << describe(check_application(app));
  app["licence"]["valid_from"] = "2026-05-02";  // a later start the decision names is lawful
  EXPECT_TRUE(check_application(app).ok());
}

TEST(IssuedTerm, AtMostOneYearFromTheIssueDateNotFromALaterStart) {
  auto app = sample("general-export-licence");  // issued 2026-04-03
  app["licence"]["valid_from"] = "2026-06-01";
  app["licence"]["valid_until"] = "2027-04-10";
  for (auto& a : app["attachments"]) a.erase("valid_until");
  app["basis"].erase("valid_until");
  app["validity"]["to"] = "2027-03-31";
  auto report = check_application(app);
  ASSERT_TRUE(has(report, "/licence/valid_until", "validity.over_one_year")) << describe(report);
  for (const auto& p : report.problems)
    if (p.code == "validity.over_one_year" && p.path == "/licence/valid_until") {
      EXPECT_EQ(p.params.at("limit"), "2027-04-02");
    }
  app["licence"]["valid_until"] = "2027-04-02";
  EXPECT_TRUE(check_application(app).ok()) << describe(check_application(app));
}

TEST(IssuedTerm, NotBeyondTheEarliestDocumentAndNotBeforeItsStart) {
  auto app = sample("import-licence");  // contract valid until 2027-03-31
  app["licence"]["valid_until"] = "2027-03-12";
  app["basis"]["valid_until"] = "2027-01-31";
  EXPECT_TRUE(has(check_application(app), "/licence/valid_until", "validity.beyond_document"));
  app = sample("trade-import-licence");  // from 2026-05-15
  app["licence"]["valid_until"] = "2026-05-14";
  auto report = check_application(app);
  EXPECT_TRUE(has(report, "/licence/valid_until", "validity.to_before_from")) << describe(report);
  EXPECT_EQ(report.problems.size(), 1u) << describe(report);
}

TEST(IssuedTerm, ThePermitFollowsTheSameRules) {
  auto permit = sample("reexport-permit");  // issued 2026-05-08
  permit["permit"]["valid_from"] = "2026-05-01";
  EXPECT_TRUE(has(check_application(permit), "/permit/valid_from", "validity.before_issue"));
}

// 002 lines 103, 109: re-export moves goods from another foreign state to
// third countries and is done by foreign persons.
TEST(ReexportParties, AForeignApplicantFromAForeignStateToAThirdCountry) {
  EXPECT_TRUE(check_application(sample("reexport-permit")).ok());
  auto permit = sample("reexport-permit");
  permit["dispatch_country"] = "KZ";
  auto report = check_application(permit);
  EXPECT_TRUE(has(report, "/dispatch_country", "reexport.dispatch_from_kazakhstan")) << describe(report);
  permit = sample("reexport-permit");
  permit["destination_country"] = permit["dispatch_country"];
  EXPECT_TRUE(has(check_application(permit), "/destination_country", "reexport.destination_not_third_country"));
  permit = sample("reexport-permit");
  permit["destination_country"] = "KZ";
  report = check_application(permit);
  EXPECT_TRUE(has(report, "/destination_country", "reexport.destination_kazakhstan"));
  for (const auto& p : report.problems) {
    EXPECT_NE(p.message.kk.find("кері экспорт"), std::string::npos) << p.message.kk;
    EXPECT_NE(p.message.ru.find("реэкспорт"), std::string::npos) << p.message.ru;
  }
  permit = sample("reexport-permit");
  permit["applicant"] = sample("export-licence")["applicant"];
  report = check_application(permit);
  EXPECT_TRUE(has(report, "/applicant/type", "reexport.applicant_not_foreign")) << describe(report);
  EXPECT_EQ(report.problems.size(), 1u) << describe(report);
}

// Ground 12 (000 lines 637-638): a negative MFA answer, or none within one
// calendar year of sending; until then the term is stopped (000 lines
// 496-499), so neither a hearing notice nor a refusal may cite it.
TEST(GroundTwelve, NeedsTheMfaCheckOnRecord) {
  for (const char* name : {"refusal", "hearing-notice"}) {
    auto app = sample(name);
    app["grounds"] = nlohmann::json::array({{{"code", 12}}});
    auto report = check_application(app);
    EXPECT_TRUE(has(report, "/grounds/0/code", "ground.mfa_check_unknown")) << name << describe(report);
  }
}

TEST(GroundTwelve, NotBeforeTheCalendarYearIsOver) {
  auto app = sample("refusal");  // dated 2026-05-06
  app["grounds"] = nlohmann::json::array({{{"code", 7}}, {{"code", 12}}});
  app["guarantee_check"] = {{"sent_on", "2025-05-07"}, {"result", "none"}};
  auto report = check_application(app);
  ASSERT_TRUE(has(report, "/grounds/1/code", "ground.mfa_year_not_over")) << describe(report);
  EXPECT_EQ(report.problems[0].params.at("from"), "2026-05-07");
  EXPECT_NE(report.problems[0].message.ru.find("2026-05-07"), std::string::npos);
  app["guarantee_check"]["sent_on"] = "2025-05-06";  // the year from 6 May 2025 ended on 5 May 2026
  EXPECT_TRUE(check_application(app).ok()) << describe(check_application(app));
  app["guarantee_check"]["sent_on"] = "2026-03-27";  // six weeks: the sample's old defect
  EXPECT_TRUE(has(check_application(app), "/grounds/1/code", "ground.mfa_year_not_over"));
}

TEST(GroundTwelve, ANegativeAnswerAllowsItAConfirmationNever) {
  auto app = sample("hearing-notice");  // dated 2026-04-29
  app["grounds"] = nlohmann::json::array({{{"code", 12}}});
  app["guarantee_check"] = {{"sent_on", "2026-03-27"}, {"result", "negative"}, {"answered_on", "2026-04-20"}};
  EXPECT_TRUE(check_application(app).ok()) << describe(check_application(app));
  app["guarantee_check"]["answered_on"] = "2026-05-04";
  EXPECT_TRUE(has(check_application(app), "/grounds/0/code", "ground.mfa_answer_after_document"));
  app["guarantee_check"].erase("answered_on");
  EXPECT_TRUE(has(check_application(app), "/guarantee_check/answered_on", "field.missing"));
  app["guarantee_check"] = {{"sent_on", "2026-03-27"}, {"result", "confirmed"}, {"answered_on", "2026-04-20"}};
  EXPECT_TRUE(has(check_application(app), "/grounds/0/code", "ground.mfa_confirmed"));
}

TEST(GroundTwelve, OnlyTheLicenceCatalogueHasIt) {
  auto app = sample("refusal");
  app["service"] = "reexport-permit";  // ground 12 of 002 is another ground
  app["grounds"] = nlohmann::json::array({{{"code", 12}}});
  EXPECT_TRUE(check_application(app).ok()) << describe(check_application(app));
}

// Issue 15 item 5: no application in the samples ends with a licence, a
// hearing notice and a refusal; the refusal cites only grounds put to the
// hearing; no sample cites ground 12 before its time.
TEST(SampleStory, EachApplicationEndsOnceAndARefusalFollowsItsHearing) {
  std::map<std::string, std::vector<std::string>> outcomes;
  for (const char* name : {"export-licence", "export-licence-issued", "import-licence", "general-export-licence",
                           "reexport-permit", "trade-export-licence", "trade-import-licence"})
    outcomes[sample(name)["application"]["number"].get<std::string>()].push_back(name);
  for (const char* name : {"refusal", "refusal-to-consider", "hearing-notice"})
    outcomes[sample(name)["application_ref"]["number"].get<std::string>()].push_back(name);
  for (const auto& [number, documents] : outcomes) {
    const auto count = [&](const std::string& what) {
      return std::count_if(documents.begin(), documents.end(),
                           [&](const std::string& d) { return d.find(what) != std::string::npos; });
    };
    const bool licensed = count("licence") + count("permit") > 0;
    EXPECT_FALSE(licensed && (count("refusal") > 0 || count("hearing") > 0)) << number;
    EXPECT_LE(count("refusal"), 1) << number << ": refused twice";
  }
  const auto notice = sample("hearing-notice");
  const auto refusal = sample("refusal");
  ASSERT_EQ(notice["application_ref"], refusal["application_ref"]);
  EXPECT_LT(notice["hearing"]["at"].get<std::string>().substr(0, 10), refusal["document"]["date"].get<std::string>());
  for (const auto& g : refusal["grounds"]) {
    bool heard = false;
    for (const auto& h : notice["grounds"]) heard = heard || h["code"] == g["code"];
    EXPECT_TRUE(heard) << "ground " << g["code"] << " was never put to the hearing";
    EXPECT_NE(g["code"], 12);
  }
  for (const auto& h : notice["grounds"]) EXPECT_NE(h["code"], 12);
}
