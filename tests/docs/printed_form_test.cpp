// The PrintedForm the PDF lays out: boxes as the templates number them, values
// formatted per locale, every goods row kept, refusal grounds by number with
// the catalogue's text in both languages.
#include <gtest/gtest.h>

#include "docs/docs_test_support.h"
#include "qujat/common/error.h"
#include "qujat/i18n/date_grammar.h"
#include "qujat/i18n/template_root.h"
#include "qujat/store/document_numbering.h"

#include <unistd.h>

#include <atomic>
#include <thread>
#include <tuple>
#include "support/paths.h"

using namespace qujat;

namespace {

const docs::DocumentEngine& scratch_engine() {
  static const docs::DocumentEngine e{
      docs::EngineOptions{qujat::test::source_root() / "tests" / "data" / "templates", std::nullopt, ""}};
  return e;
}

docs::DocumentMeta meta(const std::string& kind, const std::string& number = "KZ-EXP-2026-000042") {
  return {kind, number, *parse_date("2026-01-09"), {"kk", "ru"}};
}

const docs::FormBox* find_box(const docs::PrintedForm& form, const std::string& number) {
  for (const auto& b : form.blocks)
    for (const auto& box : b.boxes)
      if (box.number == number) return &box;
  return nullptr;
}

const docs::FormTable* first_table(const docs::PrintedForm& form) {
  for (const auto& b : form.blocks)
    if (b.kind == docs::FormBlockKind::Table) return &b.table;
  return nullptr;
}

bool has_line(const docs::FormBox& box, const std::string& kk, const std::string& ru) {
  for (const auto& l : box.lines)
    if (l.kk == kk && l.ru == ru) return true;
  return false;
}

TEST(PrintedForm, BoxesFormattedPerLocale) {
  auto app = test::read_sample("export-licence");
  auto form = scratch_engine().build_form(app, meta("export-licence"));
  EXPECT_EQ(form.issue_date.kk, "9 қаңтар 2026 ж.");
  EXPECT_EQ(form.issue_date.ru, "9 января 2026 г.");
  EXPECT_EQ(form.title.ru, "Лицензия на экспорт специфических товаров");

  auto* box1 = find_box(form, "1");
  ASSERT_NE(box1, nullptr);
  ASSERT_EQ(box1->lines.size(), 1u);
  EXPECT_EQ(box1->lines[0].ru, "KZ-EXP-2026-000042");

  auto* applicant = find_box(form, "2");
  ASSERT_NE(applicant, nullptr);
  EXPECT_EQ(applicant->lines[0].kk, app["applicant"]["name"]["kk"].get<std::string>());
  EXPECT_TRUE(has_line(*applicant, "БСН: " + app["applicant"]["bin"].get<std::string>(),
                       "БИН: " + app["applicant"]["bin"].get<std::string>()));

  auto* buyer = find_box(form, "4");
  ASSERT_NE(buyer, nullptr);
  EXPECT_TRUE(has_line(*buyer, "Елі: Германия", "Страна: Германия"));

  auto* validity = find_box(form, "7");
  ASSERT_NE(validity, nullptr);
  ASSERT_EQ(validity->lines.size(), 1u);
  EXPECT_NE(validity->lines[0].ru.find("с "), std::string::npos);
  EXPECT_NE(validity->lines[0].kk.find(" бастап "), std::string::npos);

  auto* total = find_box(form, "15");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->lines[0].ru, "125\u00a0000,00\u00a0EUR");

  auto* currency = find_box(form, "14");
  ASSERT_NE(currency, nullptr);
  EXPECT_EQ(currency->lines[0].ru, "EUR (евро)");
}

TEST(PrintedForm, SentencePlaceholdersAreFilledWithDates) {
  auto app = test::read_sample("export-licence");
  auto form = scratch_engine().build_form(app, meta("export-licence"));
  const auto& last = form.blocks.back();
  ASSERT_EQ(last.kind, docs::FormBlockKind::Paragraph);
  EXPECT_EQ(last.paragraph.ru, "Выдана по заявлению от 20 марта 2026 г.");
  EXPECT_EQ(last.paragraph.kk, "20 наурыз 2026 ж. өтініш бойынша берілді.");
}

TEST(PrintedForm, RefusalListsEachGroundByNumberWithItsLegalTextInBothLanguages) {
  auto app = test::read_sample("refusal");
  auto form = test::engine().build_form(app, meta("refusal", "KZ-REF-2026-000001"));
  const auto& templates = test::engine().templates();
  std::string catalogue =
      templates.common()["grounds_catalogues"].value("export-licence", std::string("export-licence"));
  const auto& grounds = templates.grounds(catalogue)["grounds"];
  std::string all_kk, all_ru;
  for (const auto& b : form.blocks)
    for (const auto& box : b.boxes)
      for (const auto& l : box.lines) {
        all_kk += l.kk + "\n";
        all_ru += l.ru + "\n";
      }
  for (const auto& cited : app["grounds"]) {
    long code = cited["code"].get<long>();
    const nlohmann::json* entry = nullptr;
    for (const auto& g : grounds)
      if (g["code"].get<long>() == code) entry = &g;
    ASSERT_NE(entry, nullptr) << code;
    EXPECT_NE(all_kk.find((*entry)["kk"].get<std::string>()), std::string::npos) << code;
    EXPECT_NE(all_ru.find((*entry)["ru"].get<std::string>()), std::string::npos) << code;
    EXPECT_NE(all_ru.find(std::to_string(code)), std::string::npos);
    if (cited.contains("details")) {
      EXPECT_NE(all_kk.find(cited["details"]["kk"].get<std::string>()), std::string::npos);
      EXPECT_NE(all_ru.find(cited["details"]["ru"].get<std::string>()), std::string::npos);
    }
  }
  EXPECT_EQ(form.signatory_name, app["signatory"]["full_name"].get<std::string>());
  EXPECT_FALSE(form.authority_header.empty());
}

TEST(PrintedForm, UnknownGroundIsAnError) {
  auto app = test::read_sample("refusal");
  app["grounds"] = nlohmann::json::array({{{"code", 999}}});
  try {
    test::engine().build_form(app, meta("refusal"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "docs.unknown_ground");
  }
}

TEST(PrintedForm, EucWithFortyGoodsKeepsAllFortyRows) {
  auto app = test::read_sample("euc-forty-goods");
  ASSERT_EQ(app["goods"].size(), 40u);
  auto form = test::engine().build_form(app, meta("euc", "KZ-EUC-2026-000001"));
  auto* table = first_table(form);
  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->rows.size(), 40u);
  for (const auto& row : table->rows) EXPECT_EQ(row.size(), table->columns.size());
  EXPECT_EQ(table->column_weights.size(), table->columns.size());
  if (table->row_numbers) {
    EXPECT_EQ(table->rows[39][0].ru, "40");
  }
  std::string last_hs = app["goods"][39]["hs_code"].get<std::string>();
  bool found = false;
  for (const auto& cell : table->rows[39]) found = found || cell.ru.find(last_hs) != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(Issue, AnIssuedApplicationKeepsItsOwnNumberAndDate) {
  auto app = test::read_sample("export-licence-issued");
  docs::IssueRequest request;  // no number given: the licence already has its number
  auto doc = test::engine().issue(test::application(app), request);
  EXPECT_EQ(doc.meta.number, app["licence"]["number"].get<std::string>());
  EXPECT_EQ(format_date(doc.meta.issue_date), app["licence"]["issue_date"].get<std::string>());
}

TEST(Issue, WithoutAnyNumberSourceItRefuses) {
  auto app = test::read_sample("export-licence");
  try {
    test::engine().issue(test::application(app), docs::IssueRequest{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "docs.no_number");
  }
}

TEST(Issue, VerificationCodeAndUrlFollowTheXml) {
  auto app = test::read_sample("euc");
  docs::IssueRequest request;
  request.number = "KZ-EUC-2026-000009";
  request.issue_date = parse_date("2026-01-09");
  auto doc = test::engine().issue(test::application(app), request);
  EXPECT_EQ(doc.verification_code.size(), 16u);
  EXPECT_EQ(doc.verification_code, docs::DocumentEngine::verification_code(doc.xml));
  EXPECT_EQ(doc.verification_url, "https://qujat.example.kz/verify/KZ-EUC-2026-000009?code=" + doc.verification_code);
  EXPECT_EQ(doc.form.verification_url, doc.verification_url);
  EXPECT_NE(doc.form.footer.ru.find(doc.verification_code), std::string::npos);
  auto changed = app;
  changed["purpose"]["ru"] = "иное";
  EXPECT_NE(test::engine().issue(test::application(changed), request).verification_code, doc.verification_code);
}

TEST(Issue, VerificationBaseIsConfigurable) {
  docs::DocumentEngine e{docs::EngineOptions{std::nullopt, std::nullopt, "https://check.test/{number}/{code}"}};
  EXPECT_EQ(e.verification_url("N-1", "ABC"), "https://check.test/N-1/ABC");
}

TEST(Issue, VerificationCodeIsBase32OfSha256) {
  // SHA-256("") = e3b0c442 98fc1c14 9afb..; first 10 bytes in RFC 4648 base32.
  EXPECT_EQ(docs::DocumentEngine::verification_code(""), "4OYMIQUY7QOBJGX3");
}

}  // namespace

TEST(Issue, VerificationUrlEncodesTheNumber) {
  EXPECT_EQ(test::engine().verification_url("ОИ-2026/03", "ABC"),
            "https://qujat.example.kz/verify/%D0%9E%D0%98-2026%2F03?code=ABC");
}

TEST(Issue, OneEngineServesManyThreads) {
  auto app = test::read_sample("euc-forty-goods");
  docs::IssueRequest request;
  request.number = "KZ-EUC-2026-000001";
  request.issue_date = parse_date("2026-01-09");
  const auto application = test::application(app);
  const auto expected = test::engine().issue(application, request).xml;
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (test::engine().issue(application, request).xml != expected) ++mismatches;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Issue, UnknownKindAndLanguageAreRefused) {
  auto app = test::read_sample("euc");
  app["kind"] = "passport";
  EXPECT_THROW(test::engine().build_xml(app, docs::DocumentMeta{"passport", "N", parse_date("2026-01-09").value()}),
               Error);
  docs::IssueRequest request;
  request.number = "N";
  request.languages = {"en"};
  EXPECT_THROW(test::engine().issue(test::application(test::read_sample("euc")), request), Error);
}

namespace {

std::string all_lines(const docs::FormBox& box, const std::string& lang) {
  std::string out;
  for (const auto& l : box.lines) out += l.in(lang) + "\n";
  return out;
}

// 000 lines 184-195: a general licence names several importers and end users;
// boxes 4 and 5 print every one of them, numbered.
TEST(PrintedForm, GeneralLicencePrintsEveryBuyerAndEndUser) {
  auto app = test::read_sample("general-export-licence");
  ASSERT_GE(app["buyers"].size(), 2u);
  auto form = test::engine().build_form(app, meta("general-export-licence", "KZ-GEN-2026-000001"));
  for (const auto& [number, field] : {std::pair{"4", "buyers"}, std::pair{"5", "end_users"}}) {
    auto* box = find_box(form, number);
    ASSERT_NE(box, nullptr) << number;
    const auto printed = all_lines(*box, "ru");
    for (std::size_t i = 0; i < app[field].size(); ++i) {
      const auto name = app[field][i]["name"].is_string() ? app[field][i]["name"].get<std::string>()
                                                          : app[field][i]["name"]["ru"].get<std::string>();
      EXPECT_NE(printed.find(std::to_string(i + 1) + ") " + name), std::string::npos) << number << ": " << printed;
    }
  }
}

}  // namespace

namespace {

const docs::FormBlock* first_paragraph(const docs::PrintedForm& form) {
  for (const auto& b : form.blocks)
    if (b.kind == docs::FormBlockKind::Paragraph) return &b;
  return nullptr;
}

// Seed 003 lines 5, 90: "2026 жылғы 9 қаңтардағы № 4 бұйрығы"; the refusal's
// sentence needs the attributive form, the Russian the genitive.
TEST(PrintedForm, DatesTakeTheCaseTheSentenceNeeds) {
  auto refusal = test::read_sample("refusal");
  auto form = test::engine().build_form(refusal, meta("refusal", "KZ-REF-2026-000001"));
  const auto* opening = first_paragraph(form);
  ASSERT_NE(opening, nullptr);
  const auto number = refusal["application_ref"]["number"].get<std::string>();
  const auto day = *parse_date(refusal["application_ref"]["date"].get<std::string>());
  const qujat::i18n::DateGrammar grammar(test::engine().templates().json("dates.json"));
  EXPECT_NE(opening->paragraph.kk.find("Сіздің " + grammar.format(day, "kk", "attributive") + " № " + number +
                                       " өтінішіңізді"),
            std::string::npos)
      << opening->paragraph.kk;
  EXPECT_NE(opening->paragraph.ru.find("заявление от " + grammar.format(day, "ru") + " № " + number), std::string::npos)
      << opening->paragraph.ru;
  EXPECT_EQ(form.issue_date.kk, "2026 жылғы 9 қаңтар");
  EXPECT_EQ(form.issue_date.ru, "9 января 2026 г.");

  auto licence = test::read_sample("export-licence-issued");
  auto printed = test::engine().build_form(licence, meta("export-licence"));
  auto* basis = find_box(printed, "8");
  ASSERT_NE(basis, nullptr);
  ASSERT_EQ(basis->lines.size(), 1u);
  EXPECT_EQ(basis->lines[0].kk, "2026 жылғы 15 қаңтардағы № KE-DE/2026-014, 2026 жылғы 31 желтоқсанға дейін жарамды");
  EXPECT_EQ(basis->lines[0].ru, "№ KE-DE/2026-014 от 15 января 2026 г., срок действия до 31 декабря 2026 г.");
}

}  // namespace

namespace {

bool mentions(const docs::FormBox& box, const std::string& text) {
  for (const auto& l : box.lines)
    if (l.kk.find(text) != std::string::npos || l.ru.find(text) != std::string::npos) return true;
  return false;
}

const docs::FormBox* box_with_label(const docs::PrintedForm& form, const std::string& ru_label_start) {
  for (const auto& b : form.blocks)
    for (const auto& box : b.boxes)
      if (box.label.ru.starts_with(ru_label_start)) return &box;
  return nullptr;
}

// A party box prints what its seed label names and nothing invented: the
// EUC's "(елі, мекенжайы және телефоны) БСН (ЖСН)" has no e-mail, a
// refusal's addressee is "name, legal address, BIN/IIN".
TEST(PrintedForm, PartyBoxesPrintWhatTheirSeedLabelNames) {
  auto euc = test::read_sample("euc");
  ASSERT_TRUE(euc["importer"].contains("email"));
  auto form = test::engine().build_form(euc, meta("euc", "KZ-EUC-2026-000001"));
  for (const char* number : {"1", "2", "3"}) {
    auto* box = find_box(form, number);
    ASSERT_NE(box, nullptr) << number;
    EXPECT_FALSE(mentions(*box, "@")) << "e-mail in EUC box " << number;
  }
  EXPECT_TRUE(mentions(*find_box(form, "1"), euc["importer"]["phone"].get<std::string>()));
  EXPECT_TRUE(mentions(*find_box(form, "1"), euc["importer"]["bin"].get<std::string>()));
  EXPECT_FALSE(mentions(*find_box(form, "3"), "Телефон")) << "EUC box 3 names country and address only";

  auto licence = test::read_sample("export-licence");
  ASSERT_TRUE(licence["buyer"].contains("registration_number"));
  auto printed = test::engine().build_form(licence, meta("export-licence"));
  EXPECT_FALSE(mentions(*find_box(printed, "4"), licence["buyer"]["registration_number"].get<std::string>()));
  EXPECT_TRUE(mentions(*find_box(printed, "4"), licence["buyer"]["email"].get<std::string>()));
  EXPECT_FALSE(mentions(*find_box(printed, "2"), "Страна")) << "box 2 does not name the country";

  auto refusal = test::read_sample("hearing-notice");
  ASSERT_TRUE(refusal["addressee"].contains("email"));
  auto letter = test::engine().build_form(refusal, meta("hearing-notice", "KZ-HRG-2026-000001"));
  auto* addressee = box_with_label(letter, "Наименование организации");
  ASSERT_NE(addressee, nullptr);
  EXPECT_FALSE(mentions(*addressee, "@"));
  EXPECT_TRUE(mentions(*addressee, refusal["addressee"]["bin"].get<std::string>()));
}

}  // namespace

namespace {

// Issue 15 item 8: the EUC and IIC print their signer once, keep the
// six-month sentence with the attestation box, and add no row-number column.
TEST(PrintedForm, CertificatesPrintTheSignerOnceAndKeepTheSixMonthSentenceWithTheAttestation) {
  for (const auto& [name, kind, attestation] :
       {std::tuple{"euc", "euc", "12"}, std::tuple{"iic", "iic", "9"}, std::tuple{"euc-forty-goods", "euc", "12"}}) {
    auto app = test::read_sample(name);
    auto form = test::engine().build_form(app, meta(kind, "KZ-EUC-2026-000001"));
    EXPECT_FALSE(form.closing_signatory) << name;
    EXPECT_FALSE(form.number_line) << name << ": the '№' box prints the number";
    int signers = 0;
    for (const auto& b : form.blocks)
      for (const auto& box : b.boxes)
        if (mentions(box, app["signatory"]["full_name"].get<std::string>())) ++signers;
    EXPECT_EQ(signers, 1) << name;
    auto* table = first_table(form);
    ASSERT_NE(table, nullptr);
    EXPECT_FALSE(table->row_numbers) << name;
    auto* box = find_box(form, attestation);
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->keep_with_next) << name;
    EXPECT_TRUE(mentions(*box, "алты ай ішінде")) << name;
    EXPECT_TRUE(mentions(*box, "шести месяцев")) << name;
    for (const auto& b : form.blocks)
      EXPECT_FALSE(b.kind == docs::FormBlockKind::Paragraph &&
                   b.paragraph.ru.find("шести месяцев") != std::string::npos)
          << name << ": the six-month sentence outside its box";
  }
}

// A licence prints its number in box 1 and its licensor in box 19 only.
TEST(PrintedForm, LicencesPrintNumberAndLicensorOnce) {
  for (const char* name : {"export-licence", "import-licence", "general-export-licence", "reexport-permit"}) {
    auto app = test::read_sample(name);
    auto form = test::engine().build_form(app, meta(app["kind"].get<std::string>()));
    EXPECT_FALSE(form.number_line) << name;
    EXPECT_FALSE(form.closing_signatory) << name;
  }
  auto refusal = test::engine().build_form(test::read_sample("refusal"), meta("refusal", "KZ-REF-2026-000001"));
  EXPECT_TRUE(refusal.closing_signatory) << "a letter closes with its signer";
}

}  // namespace

namespace {

// 000 lines 848-853 (and 002, 003): a letter prints its number and date
// once, then the addressee, then the title, then the text.
TEST(PrintedForm, LettersFollowTheSeedOrderNumberAddresseeTitle) {
  for (const char* name : {"refusal", "refusal-to-consider", "hearing-notice", "classification-conclusion"}) {
    SCOPED_TRACE(name);
    auto app = test::read_sample(name);
    auto form = test::engine().build_form(app, meta(app["kind"].get<std::string>(), "KZ-REF-2026-000001"));
    EXPECT_FALSE(form.number_line);
    std::vector<std::string> order;
    int numbers = 0;
    for (const auto& b : form.blocks) {
      if (b.kind == docs::FormBlockKind::Title) order.push_back("title");
      if (b.kind == docs::FormBlockKind::Paragraph && order.size() == 3) order.push_back("text");
      for (const auto& box : b.boxes) {
        if (mentions(box, "KZ-REF-2026-000001")) {
          ++numbers;
          order.push_back("number");
          EXPECT_FALSE(box.framed);
        }
        if (box.align == "right") order.push_back("addressee");
      }
    }
    EXPECT_EQ(numbers, 1);
    EXPECT_EQ(order, (std::vector<std::string>{"number", "addressee", "title", "text"}));
  }
}

}  // namespace
