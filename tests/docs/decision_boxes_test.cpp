// No licence or permit is issued with its decision boxes empty (000 annex 3
// boxes 7, 17, 19; 002 annex 4 boxes 14, 15; the trade licences' licensor),
// nor with a term that starts before its issue or runs more than a year from
// it: the engine refuses with a coded error naming the box, worded in kk, ru
// and en by templates/messages/docs.json.
#include <gtest/gtest.h>

#include "docs/docs_test_support.h"
#include "qujat/common/error.h"
#include "qujat/docs/decision_boxes.h"
#include "qujat/i18n/messages.h"

#include <set>

using namespace qujat;

namespace {

docs::IssueRequest numbered(const std::string& number = "KZ-TST-2026-000001") {
  docs::IssueRequest r;
  r.number = number;
  return r;
}

// The finding of the error issuing `app` throws; fails the test when it issues.
Finding refusal_of(const nlohmann::json& app, const docs::IssueRequest& request = numbered()) {
  const auto checked = test::application(app);  // `qujat check` accepts it: the decision is the engine's to demand
  try {
    test::engine().issue(checked, request);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), e.finding().code);
    return e.finding();
  }
  ADD_FAILURE() << app["kind"] << " was issued";
  return {};
}

// The first defect DecisionBoxes finds in `app` issued on `day`.
Finding first_defect(const nlohmann::json& app, const char* day) {
  const auto found = docs::DecisionBoxes::defects(app["kind"].get<std::string>(), app, *parse_date(day));
  if (found.empty()) {
    ADD_FAILURE() << app["kind"] << ": no defect";
    return {};
  }
  return found.front();
}

struct Case {
  const char* sample;
  const char* field;  // erased from the decision block
  const char* box;    // the box the refusal names
};

}  // namespace

TEST(DecisionBoxes, EveryIssuedSampleHasEveryBoxFilled) {
  for (const auto& name : test::valid_samples()) {
    const auto app = test::read_sample(name);
    EXPECT_NO_THROW(test::engine().issue(test::application(app), numbered())) << name;
  }
}

// (`qujat check` refuses a half-filled decision block too; the engine does
// not rely on it.)
TEST(DecisionBoxes, AnEmptyBoxIsNamedByItsNumber) {
  const Case cases[] = {
      {"export-licence", "approvals", "17"},
      {"export-licence", "licensor", "19"},
      {"export-licence", "valid_until", "7"},
      {"import-licence", "approvals", "17"},
      {"import-licence", "licensor", "19"},
      {"general-export-licence", "approvals", "17"},
      {"general-export-licence", "licensor", "19"},
      {"reexport-permit", "approvals", "14"},
      {"reexport-permit", "licensor", "15"},
      {"reexport-permit", "valid_until", "15"},
      {"trade-export-licence", "licensor", "licensor"},
      {"trade-import-licence", "licensor", "licensor"},
      {"trade-import-licence", "valid_until", "2"},
  };
  for (const auto& c : cases) {
    auto app = test::read_sample(c.sample);
    const std::string block = app["kind"] == "reexport-permit" ? "permit" : "licence";
    app[block].erase(c.field);
    const auto f = first_defect(app, app[block]["issue_date"].get<std::string>().c_str());
    EXPECT_EQ(f.code, "docs.box_missing") << c.sample << " without " << c.field;
    EXPECT_EQ(f.params.at("box"), c.box) << c.sample << " without " << c.field;
    EXPECT_EQ(f.params.at("kind"), app["kind"].get<std::string>());
    EXPECT_EQ(f.params.at("field"), block + "." + c.field);
  }
}

TEST(DecisionBoxes, AnApplicationWithoutTheDecisionIsNotIssuedAndEveryEmptyBoxIsNamed) {
  for (const char* name :
       {"export-licence", "import-licence", "general-export-licence", "reexport-permit", "trade-export-licence"}) {
    auto app = test::read_sample(name);
    const std::string block = app["kind"] == "reexport-permit" ? "permit" : "licence";
    app.erase(block);  // the application as filed
    const auto checked = test::application(app);
    try {
      test::engine().issue(checked, numbered());
      ADD_FAILURE() << name << " issued without a decision";
    } catch (const docs::UndecidedDocument& e) {
      EXPECT_EQ(e.code(), "docs.box_missing");
      std::set<std::string> boxes;
      for (const auto& d : e.defects()) boxes.insert(d.params.at("box"));
      const std::set<std::string> expected = block == "permit" ? std::set<std::string>{"14", "15"}
                                             : app["kind"].get<std::string>().starts_with("trade")
                                                 ? std::set<std::string>{"2", "licensor"}
                                                 : std::set<std::string>{"7", "17", "19"};
      EXPECT_EQ(boxes, expected) << name;
      for (const auto& box : expected) EXPECT_NE(e.full_message().find("box " + box), std::string::npos) << name;
    }
  }
}

TEST(DecisionBoxes, EachApprovalNamesItsLetter) {
  auto app = test::read_sample("import-licence");
  app["licence"]["approvals"][1].erase("letter_date");
  auto f = first_defect(app, "2026-03-13");
  EXPECT_EQ(f.params.at("box"), "17");
  EXPECT_EQ(f.params.at("field"), "licence.approvals.1.letter_date");
  app = test::read_sample("import-licence");
  app["licence"]["approvals"][0]["body"] = {{"kk", "ҰҚК"}, {"ru", ""}};
  EXPECT_EQ(first_defect(app, "2026-03-13").params.at("field"), "licence.approvals.0.body");
  app = test::read_sample("general-export-licence");
  app["licence"]["licensor"]["full_name"] = "";
  EXPECT_EQ(first_defect(app, "2026-04-03").params.at("field"), "licence.licensor.full_name");
}

TEST(DecisionBoxes, TheTermNeverStartsBeforeTheIssue) {
  auto app = test::read_sample("export-licence");  // decided 2026-04-28, valid to 2026-12-31
  app["licence"]["valid_from"] = "2026-04-01";
  auto f = first_defect(app, "2026-04-28");
  EXPECT_EQ(f.code, "docs.validity_before_issue");
  EXPECT_EQ(f.params.at("box"), "7");
  EXPECT_EQ(f.params.at("issue_date"), "2026-04-28");
  // Issued later than the decision said: the term still may not reach back.
  app = test::read_sample("export-licence-issued");  // valid_from 2026-04-28
  auto request = numbered();
  request.issue_date = parse_date("2026-05-04");
  EXPECT_EQ(refusal_of(app, request).code, "docs.validity_before_issue");
  // Without valid_from the licence runs from its issue date, and prints so.
  app = test::read_sample("export-licence");
  ASSERT_FALSE(app["licence"].contains("valid_from"));
  const auto issued = test::engine().issue(test::application(app), request);
  const docs::FormBox* term = nullptr;
  for (const auto& b : issued.form.blocks)
    for (const auto& box : b.boxes)
      if (box.number == "7") term = &box;
  ASSERT_NE(term, nullptr);
  ASSERT_EQ(term->lines.size(), 1u);
  EXPECT_EQ(term->lines[0].ru, "с 4 мая 2026 г. по 31 декабря 2026 г.");
  EXPECT_EQ(term->lines[0].kk, "2026 жылғы 4 мамырдан бастап 2026 жылғы 31 желтоқсанға дейін");
}

TEST(DecisionBoxes, TheTermRunsAtMostOneYearFromTheIssue) {
  auto app = test::read_sample("general-export-licence");  // valid to 2027-03-31
  auto request = numbered();
  request.issue_date = parse_date("2026-03-20");
  auto f = refusal_of(app, request);
  EXPECT_EQ(f.code, "docs.validity_over_one_year");
  EXPECT_EQ(f.params.at("limit"), "2027-03-19");
  app["licence"]["valid_until"] = "2026-03-19";
  EXPECT_EQ(first_defect(app, "2026-04-03").code, "docs.validity_ends_before_start");
}

TEST(DecisionBoxes, DocumentsWithoutDecisionBoxesAreUntouched) {
  for (const char* name : {"refusal", "refusal-to-consider", "hearing-notice", "euc", "iic", "execution-report",
                           "classification-conclusion"})
    EXPECT_TRUE(docs::DecisionBoxes::defects(test::read_sample(name)["kind"].get<std::string>(),
                                             test::read_sample(name), *parse_date("2026-01-09"))
                    .empty())
        << name;
}

TEST(DecisionBoxes, EveryRefusalIsWordedInKazakhRussianAndEnglish) {
  const i18n::MessageCatalogue messages(test::engine().templates().json("messages/docs.json"));
  auto app = test::read_sample("reexport-permit");
  app["permit"]["valid_from"] = "2026-05-01";
  app["permit"]["valid_until"] = "2026-04-30";
  app["permit"].erase("approvals");
  auto defects = docs::DecisionBoxes::defects("reexport-permit", app, *parse_date("2026-05-08"));
  app = test::read_sample("reexport-permit");
  for (auto& d : docs::DecisionBoxes::defects("reexport-permit", app, *parse_date("2026-03-01"))) defects.push_back(d);
  std::set<std::string> codes;
  for (const auto& d : defects) {
    codes.insert(d.code);
    ASSERT_TRUE(messages.has(d.code)) << d.code;
    for (const auto& name : messages.placeholders(d.code))
      EXPECT_TRUE(d.params.contains(name)) << d.code << " never fills {" << name << "}";
    const auto m = messages.render(d.code, d.params);
    for (const auto* text : {&m.kk, &m.ru, &m.en}) {
      EXPECT_EQ(text->find('{'), std::string::npos) << *text;
      EXPECT_NE(text->find(d.params.at("box")), std::string::npos) << *text;
    }
    EXPECT_NE(m.kk.find("баған"), std::string::npos) << m.kk;
    EXPECT_NE(m.ru.find("граф"), std::string::npos) << m.ru;
  }
  EXPECT_EQ(codes, (std::set<std::string>{"docs.box_missing", "docs.validity_before_issue",
                                          "docs.validity_ends_before_start", "docs.validity_over_one_year"}));
}

// Issue 15: the samples' issued documents have every box filled, the
// decision boxes first among them.
TEST(DecisionBoxes, EverySampleDocumentHasEveryNumberedBoxFilled) {
  for (const auto& name : test::valid_samples()) {
    const auto issued = test::engine().issue(test::application(test::read_sample(name)), numbered());
    for (const auto& block : issued.form.blocks) {
      for (const auto& box : block.boxes) {
        if (!box.number.empty() || box.label.ru.starts_with("Орган, выдавший")) {
          EXPECT_FALSE(box.lines.empty()) << name << ": box " << box.number << " " << box.label.ru << " is empty";
        }
      }
      if (block.kind == docs::FormBlockKind::Table) {
        EXPECT_FALSE(block.table.rows.empty()) << name;
      }
    }
  }
}
