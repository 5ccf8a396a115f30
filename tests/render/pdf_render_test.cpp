// The printed PDF as people and tools read it: poppler's pdftotext/pdffonts/
// pdftoppm and qpdf look at the bytes render_pdf writes.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/render/pdf.h"
#include "render/form_layout.h"
#include "render/sample_forms.h"

namespace fs = std::filesystem;
using namespace qujat;

namespace {

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk{};
  while (std::size_t n = fread(chunk.data(), 1, chunk.size(), pipe)) result.output.append(chunk.data(), n);
  result.status = pclose(pipe);
  return result;
}

fs::path out_dir() {
  fs::path dir = fs::path(QUJAT_BINARY_DIR) / "render-out";
  fs::create_directories(dir);
  return dir;
}

fs::path write_pdf(const std::string& name, const Bytes& pdf) {
  fs::path path = out_dir() / name;
  write_file(path.string(), pdf);
  return path;
}

// pdftotext with all whitespace collapsed, so values wrapped over lines still match.
std::string text_of(const fs::path& pdf, int page = 0) {
  std::string range = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  auto r = run("pdftotext -enc UTF-8" + range + " '" + pdf.string() + "' -");
  EXPECT_EQ(r.status, 0) << r.output;
  return std::regex_replace(r.output, std::regex("\\s+"), " ");
}

std::string squeeze(const std::string& s) { return std::regex_replace(s, std::regex("\\s+"), " "); }

int page_count(const fs::path& pdf) {
  auto r = run("pdfinfo '" + pdf.string() + "'");
  std::smatch m;
  if (std::regex_search(r.output, m, std::regex("Pages:\\s+(\\d+)"))) return std::stoi(m[1]);
  return -1;
}

// Renders page 1 at 20 dpi as PGM and counts non-white pixels; also writes a
// 60 dpi PNG next to the PDF for a reviewer to look at.
long ink_pixels(const fs::path& pdf, int page) {
  const std::string base = (pdf.parent_path() / pdf.stem()).string() + "-p" + std::to_string(page);
  const std::string f = " -f " + std::to_string(page) + " -l " + std::to_string(page) + " -singlefile ";
  EXPECT_EQ(run("pdftoppm -png -r 60" + f + "'" + pdf.string() + "' '" + base + "'").status, 0);
  EXPECT_EQ(run("pdftoppm -gray -r 20" + f + "'" + pdf.string() + "' '" + base + "'").status, 0);
  std::ifstream in(base + ".pgm", std::ios::binary);
  std::string magic;
  int w = 0, h = 0, max = 0;
  in >> magic >> w >> h >> max;
  in.get();
  long ink = 0;
  for (int i = 0; i < w * h; ++i)
    if (in.get() < 200) ++ink;
  return ink;
}

void expect_clean_pdf(const fs::path& pdf) {
  auto fonts = run("pdffonts '" + pdf.string() + "'");
  EXPECT_EQ(fonts.status, 0) << fonts.output;
  int rows = 0;
  std::istringstream lines(fonts.output);
  std::string line;
  for (int i = 0; std::getline(lines, line); ++i) {
    if (i < 2 || line.empty()) continue;
    ++rows;
    EXPECT_NE(line.find(" yes yes yes "), std::string::npos) << "not embedded+subset+unicode: " << line;
  }
  EXPECT_EQ(rows, 2) << fonts.output;  // DejaVu Sans and DejaVu Sans Bold
  auto check = run("qpdf --check '" + pdf.string() + "'");
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("No syntax or stream encoding errors"), std::string::npos) << check.output;
}

void expect_box_texts(const std::string& text, const docs::PrintedForm& form, const std::vector<std::string>& langs) {
  auto expect_in = [&](const std::string& s) {
    if (!s.empty()) EXPECT_NE(text.find(squeeze(s)), std::string::npos) << "missing: " << s;
  };
  for (const auto& block : form.blocks) {
    for (const auto& b : block.boxes) {
      for (const auto& l : langs) expect_in(b.label.in(l));
      for (const auto& v : b.lines)
        for (const auto& l : langs) expect_in(v.in(l));
    }
    for (const auto& c : block.table.columns)
      for (const auto& l : langs) expect_in(c.label.in(l));
    for (const auto& row : block.table.rows)
      for (const auto& v : row)
        for (const auto& l : langs) expect_in(v.in(l));
    for (const auto& l : langs) expect_in(block.paragraph.in(l));
  }
  for (const auto& l : langs) {
    expect_in(form.title.in(l));
    expect_in(form.signatory_position.in(l));
  }
  expect_in(form.signatory_name);
  expect_in(form.number);
}

}  // namespace

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
  for (int p = 1; p <= pages; ++p) {
    const std::string page = text_of(path, p);
    const std::string n = std::to_string(p), m = std::to_string(pages);
    EXPECT_NE(page.find("Парақ " + n + " / " + m), std::string::npos) << "page " << p << ": " << page.substr(0, 300);
    EXPECT_NE(page.find("Лист " + n + " из " + m), std::string::npos) << "page " << p;
    EXPECT_NE(page.find("Описание товара"), std::string::npos) << "header not repeated on page " << p;
    EXPECT_NE(page.find(form.number), std::string::npos);
    EXPECT_GT(ink_pixels(path, p), 300) << "page " << p;
  }
  // rows stay in order across sheets: the last page holds the last row
  EXPECT_NE(text_of(path, pages).find("ҚҒ-40"), std::string::npos);
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
