// What the render tests ask poppler and qpdf about a PDF: its text, page
// count, fonts, structure, and how much ink a page has.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "qujat/common/bytes.h"
#include "qujat/docs/printed_form.h"

#include "support/command.h"
#include "support/paths.h"

namespace qujat::test {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;
};

inline CommandResult run(const std::string& command) {
  auto result = run_command(command + " 2>&1");
  return {result.exit_code, std::move(result.out)};
}

inline fs::path out_dir() {
  fs::path dir = qujat::test::build_root() / "render-out";
  fs::create_directories(dir);
  return dir;
}

inline fs::path write_pdf(const std::string& name, const Bytes& pdf) {
  fs::path path = out_dir() / name;
  write_file(path.string(), pdf);
  return path;
}

// pdftotext with all whitespace collapsed, so values wrapped over lines still match.
inline std::string text_of(const fs::path& pdf, int page = 0) {
  std::string range = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  auto r = run("pdftotext -enc UTF-8" + range + " '" + pdf.string() + "' -");
  EXPECT_EQ(r.status, 0) << r.output;
  return std::regex_replace(r.output, std::regex("\\s+"), " ");
}

inline std::string squeeze(const std::string& s) { return std::regex_replace(s, std::regex("\\s+"), " "); }

inline int page_count(const fs::path& pdf) {
  auto r = run("pdfinfo '" + pdf.string() + "'");
  std::smatch m;
  if (std::regex_search(r.output, m, std::regex("Pages:\\s+(\\d+)"))) return std::stoi(m[1]);
  return -1;
}

// Renders page 1 at 20 dpi as PGM and counts non-white pixels; also writes a
// 60 dpi PNG next to the PDF for a reviewer to look at.
inline long ink_pixels(const fs::path& pdf, int page) {
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

inline void expect_clean_pdf(const fs::path& pdf) {
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

// Whether the words of `expected` occur in `text` in order. pdftotext reads
// side-by-side cells line by line, so a wrapped value can be interleaved
// with its neighbour's lines; its own words still come in order.
inline std::string plain_spaces(std::string s) {
  for (const char* nbsp : {"\u00A0", "\u202F"})
    for (auto p = s.find(nbsp); p != std::string::npos; p = s.find(nbsp, p)) s.replace(p, std::string(nbsp).size(), " ");
  return s;
}

inline bool has_words_in_order(const std::string& raw_text, const std::string& raw_expected) {
  const std::string text = plain_spaces(raw_text), expected = plain_spaces(raw_expected);
  std::istringstream words(expected);
  std::string word;
  std::size_t pos = 0;
  while (words >> word) {
    const auto found = text.find(word, pos);
    if (found == std::string::npos) return false;
    pos = found + word.size();
  }
  return true;
}

inline void expect_box_texts(const std::string& text, const docs::PrintedForm& form, const std::vector<std::string>& langs) {
  auto expect_in = [&](const std::string& s) {
    if (!s.empty()) {
      EXPECT_TRUE(has_words_in_order(text, s)) << "missing: " << s;
    }
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


}  // namespace qujat::test
