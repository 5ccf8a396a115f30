// The printed PDF as people and tools read it: poppler's pdftotext/pdffonts/
// pdftoppm and qpdf look at the bytes render_pdf writes.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/render/pdf.h"
#include "render/form_layout.h"
#include "render/pdf_tools.h"
#include "render/sample_forms.h"

using namespace qujat;
using namespace qujat::test;


TEST(PdfRender, LanguagesParseInPrintOrder) {
  EXPECT_EQ(render::parse_languages("kk,ru"), (std::vector<std::string>{"kk", "ru"}));
  EXPECT_EQ(render::parse_languages("ru"), (std::vector<std::string>{"ru"}));
  EXPECT_EQ(render::parse_languages("ru, kk"), (std::vector<std::string>{"ru", "kk"}));
  EXPECT_THROW(render::parse_languages("en"), Error);
  EXPECT_THROW(render::parse_languages("kk,kk"), Error);
  EXPECT_THROW(render::parse_languages(""), Error);
}

TEST(PdfRender, WrapKeepsEveryCharacterAndCutsOverlongWords) {
  const auto& face = render::FontSet::instance().face(render::FaceStyle::Regular);
  const std::string text = "Өңделмеген қорғасын, құрамында сурьмасы бар ҚҒ-12345678901234567890123456789 үлгі";
  auto lines = render::wrap_text(text, face, 9, 80, "kk");
  ASSERT_GT(lines.size(), 3u);
  std::string joined;
  for (const auto& l : lines) {
    EXPECT_LE(face.width(l, 9), 80.01) << l;
    joined += l;
  }
  std::string without_spaces = std::regex_replace(text, std::regex(" "), "");
  EXPECT_EQ(std::regex_replace(joined, std::regex(" "), ""), without_spaces);
  EXPECT_EQ(render::wrap_text("a\nb", face, 9, 200, "ru"), (std::vector<std::string>{"a", "b"}));
}

TEST(PdfRender, KazakhLettersHaveGlyphsInBothFaces) {
  for (auto style : {render::FaceStyle::Regular, render::FaceStyle::Bold})
    EXPECT_TRUE(render::FontSet::instance().face(style).covers("ӘәҒғҚқҢңӨөҰұҮүҺһІі№«»"));
}

TEST(PdfRender, LicenceIsOnePageBilingualAndSmall) {
  const auto form = test::export_licence_form();
  Bytes pdf = render::render_pdf(form);
  const auto path = write_pdf("export-licence-kk-ru.pdf", pdf);
  EXPECT_LT(pdf.size(), 150u * 1024) << "size " << pdf.size();
  EXPECT_EQ(page_count(path), 1);
  const std::string text = text_of(path);
  expect_box_texts(text, form, {"kk", "ru"});
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"})
    EXPECT_NE(text.find(letter), std::string::npos) << letter;
  expect_clean_pdf(path);
  EXPECT_GT(ink_pixels(path, 1), 500);
  auto info = run("pdfinfo '" + path.string() + "'").output;
  EXPECT_NE(info.find("ЭКСПОРТҚА ЛИЦЕНЗИЯ"), std::string::npos) << info;
  EXPECT_NE(info.find("Producer:"), std::string::npos) << info;
  const std::string raw(pdf.begin(), pdf.end());
  EXPECT_NE(raw.find("/Lang(kk-KZ)"), std::string::npos);
  EXPECT_NE(raw.find("<x:xmpmeta"), std::string::npos);
}

TEST(PdfRender, SingleLanguagePrintsOnlyThatLanguage) {
  const auto form = test::export_licence_form();
  render::PdfOptions options;
  options.languages = {"ru"};
  const auto path = write_pdf("export-licence-ru.pdf", render::render_pdf(form, options));
  const std::string text = text_of(path);
  expect_box_texts(text, form, {"ru"});
  EXPECT_EQ(text.find("Лицензияның нөмірі"), std::string::npos);
  EXPECT_EQ(text.find("Өтініш беруші"), std::string::npos);
  options.languages = {"kk"};
  const auto kk = write_pdf("export-licence-kk.pdf", render::render_pdf(form, options));
  const std::string kk_text = text_of(kk);
  expect_box_texts(kk_text, form, {"kk"});
  EXPECT_EQ(kk_text.find("Номер лицензии"), std::string::npos);
}

TEST(PdfRender, FortyGoodsEucRunsOverNumberedSheetsWithRepeatedHeader) {
  const auto form = test::euc_form(40);
  Bytes pdf = render::render_pdf(form);
  const auto path = write_pdf("euc-forty-goods.pdf", pdf);
  const int pages = page_count(path);
  ASSERT_GE(pages, 2);
  expect_box_texts(text_of(path), form, {"kk", "ru"});
  expect_clean_pdf(path);
  int last_row_page = 0, row39_page = 0;
  for (int p = 1; p <= pages; ++p) {
    const std::string page = text_of(path, p);
    const std::string n = std::to_string(p), m = std::to_string(pages);
    EXPECT_NE(page.find("Парақ " + n + " / " + m), std::string::npos) << "page " << p << ": " << page.substr(0, 300);
    EXPECT_NE(page.find("Лист " + n + " из " + m), std::string::npos) << "page " << p;
    EXPECT_NE(page.find(form.number), std::string::npos);
    if (page.find("8413 91 000") != std::string::npos) {  // the page holds goods rows
      EXPECT_NE(page.find("Описание товара"), std::string::npos) << "header not repeated on page " << p;
      if (page.find("ҚҒ-39,") != std::string::npos) row39_page = p;
      if (page.find("ҚҒ-40,") != std::string::npos) last_row_page = p;
    }
    EXPECT_GT(ink_pixels(path, p), 300) << "page " << p;
  }
  // rows stay in order over the sheets
  EXPECT_GT(last_row_page, 1);
  EXPECT_GE(last_row_page, row39_page);
  EXPECT_GT(row39_page, 0);
}

TEST(PdfRender, OneGoodsRowEucNeedsNoSheetNumbers) {
  const auto path = write_pdf("euc-one-goods.pdf", render::render_pdf(test::euc_form(1)));
  EXPECT_EQ(page_count(path), 1);
  EXPECT_EQ(text_of(path).find("Парақ"), std::string::npos);
}

TEST(PdfRender, CharactersOutsideTheSharedSubsetGetTheirOwnSubset) {
  auto form = test::export_licence_form();
  form.blocks[0].boxes[3].lines.push_back(test::same("Ωmega Ərəb Ltd"));  // Greek, Latin Extended-B
  const auto path = write_pdf("export-licence-extra-glyphs.pdf", render::render_pdf(form));
  EXPECT_NE(text_of(path).find("Ωmega Ərəb Ltd"), std::string::npos);
  expect_clean_pdf(path);
}

TEST(PdfRender, ContinuationSheetsCarryTheirTitleAndSignatureWhenTheTemplateAsks) {
  auto form = test::euc_form(40);
  auto& table = form.blocks[1].table;
  table.continuation.title = test::bi("Сертификатқа қосымша парақ", "Дополнительный лист к сертификату");
  table.continuation.signatory = true;
  table.continuation.sheet_numbering = true;
  const auto path = write_pdf("euc-forty-goods-annex-sheets.pdf", render::render_pdf(form));
  const int pages = page_count(path);
  ASSERT_GE(pages, 2);
  for (int p = 1; p <= pages; ++p) {
    const std::string page = text_of(path, p);
    EXPECT_NE(page.find(form.signatory_name), std::string::npos) << "no signature block on page " << p;
    if (p > 1) {
      EXPECT_NE(page.find("Дополнительный лист к сертификату"), std::string::npos) << "page " << p;
    }
  }
  // a one-sheet annex still says "sheet 1 of 1" when the template numbers sheets
  auto short_form = test::euc_form(2);
  short_form.blocks[1].table.continuation.sheet_numbering = true;
  const auto one = write_pdf("euc-two-goods-numbered.pdf", render::render_pdf(short_form));
  EXPECT_EQ(page_count(one), 1);
  EXPECT_NE(text_of(one).find("Лист 1 из 1"), std::string::npos);
}

TEST(PdfRender, RightAlignedBoxesAndTheFormsOwnLanguages) {
  auto form = test::export_licence_form();
  form.blocks[0].boxes[0].align = "right";
  form.languages = {"ru"};
  const auto path = write_pdf("export-licence-issued-ru.pdf", render::render_pdf(form));
  EXPECT_EQ(text_of(path).find("Лицензияның нөмірі"), std::string::npos);  // PdfOptions empty: the form's languages
}

TEST(PdfRender, ConcurrentRendersShareTheFontsSafely) {
  const auto licence = test::export_licence_form();
  const auto euc = test::euc_form(40);
  render::PdfOptions options;
  options.creation_time = parse_instant("2026-01-09T10:00:00Z");
  const std::size_t licence_size = render::render_pdf(licence, options).size();
  const std::size_t euc_size = render::render_pdf(euc, options).size();
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const bool even = (i + t) % 2 == 0;
        const std::size_t size = render::render_pdf(even ? licence : euc, options).size();
        if (size != (even ? licence_size : euc_size)) ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}
