// The faces a printed form is set in (regular and bold), read once per
// process: file bytes for embedding and an advance-width table for measuring
// text without touching FreeType on every render.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/utf8.h>

namespace qujat::render {

enum class FaceStyle { Regular = 0, Bold = 1 };

// One TrueType face: its bytes (shared, immutable) and advance widths.
class FontFace {
 public:
  FontFace(std::string path, std::vector<char> data);

  const std::string& path() const { return path_; }
  const std::vector<char>& data() const { return data_; }

  // Advance of a code point in 1/1000 em (0 for a character the face lacks).
  double advance(char32_t c) const;
  // Width of UTF-8 text at `size` points.
  double width(std::string_view utf8, double size) const;
  // TrueType glyph index of a code point (0, .notdef, when absent).
  std::uint16_t glyph(char32_t c) const { return c < bmp_glyph_.size() ? bmp_glyph_[c] : 0; }
  // Whether the face has a glyph for every character of the text.
  bool covers(std::string_view utf8) const;
  double ascent() const { return ascent_; }    // 1/1000 em
  double descent() const { return descent_; }  // 1/1000 em, negative

 private:
  std::string path_;
  std::vector<char> data_;
  std::vector<std::uint16_t> bmp_advance_;  // per BMP code point, 1/1000 em; 0xFFFF = absent
  std::vector<std::uint16_t> bmp_glyph_;    // per BMP code point, glyph index; 0 = absent
  double ascent_ = 0;
  double descent_ = 0;
};

class FontSet {
 public:
  // The process-wide set resolved from fonts/fonts.json (resource_dirs().fonts_config,
  // the CLI's $QUJAT_FONTS_CONFIG, overrides the path); loaded on first use, then immutable and shared by
  // every thread. Throws qujat::Error("render.font") when a face is missing.
  static const FontSet& instance();

  // Loads from an explicit configuration file (tests).
  static std::unique_ptr<FontSet> load(const std::string& config_path);

  const FontFace& face(FaceStyle style) const { return *faces_[static_cast<int>(style)]; }

 private:
  std::array<std::unique_ptr<FontFace>, 2> faces_;
};

// Calls `each(char32_t)` for every code point of UTF-8 text (invalid bytes
// become U+FFFD), without building a copy: widths are summed on the layout
// path for every word.
template <class Each>
void for_each_code_point(std::string_view utf8, Each&& each) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t i = 0;
  const auto n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT_OR_FFFD(s, i, n, c);
    each(static_cast<char32_t>(c));
  }
}

// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
std::u32string utf8_to_u32(std::string_view utf8);

}  // namespace qujat::render
