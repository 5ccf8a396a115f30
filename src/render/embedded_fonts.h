// The fonts of one PDF document. Most forms use only Latin, Cyrillic
// (Kazakh included) and common punctuation: for those, a subset of each face
// made once per process (PoDoFo's TrueType subsetter, glyph indices kept) is
// copied into every document, so a render costs no font parsing or
// subsetting. There are three such subsets, each holding the one before: a
// core one (ASCII, Kazakh and Russian letters, common punctuation), the core
// one with the Latin-1 letters (À-ÿ), and a full one (Latin Extended-A, all
// basic Cyrillic); the smallest that covers the form is used.
// A form with any other character gets its own subset made by PoDoFo for
// that document (slower, same result).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "render/font_set.h"
#include "render/page_model.h"

namespace PoDoFo {
class PdfMemDocument;
class PdfFont;
class PdfReference;
}  // namespace PoDoFo

namespace qujat::render {

class EmbeddedFonts {
 public:
  EmbeddedFonts(PoDoFo::PdfMemDocument& doc, const FontSet& fonts, const std::vector<Page>& pages);

  // The Type0 font object of a face in this document.
  const PoDoFo::PdfReference& reference(FaceStyle style) const;
  // The glyph string of a text for a Tj operator: two bytes per glyph index
  // (Identity-H) in a literal string, half the size of hex.
  std::string glyph_string(FaceStyle style, std::string_view utf8) const;
  // Per-document subsets are embedded here (no-op on the shared-subset path).
  void finish();
  bool shared_subset() const { return shared_; }

 private:
  const FontSet& fonts_;
  bool shared_ = true;
  std::vector<PoDoFo::PdfReference> refs_;
  // Per-document subsets; this object (not the document) deletes them, so it
  // must not outlive the document.
  std::vector<std::unique_ptr<PoDoFo::PdfFont>> own_fonts_;
};

// Whether every character of the text is in the shared subset.
bool in_shared_repertoire(std::string_view utf8);

}  // namespace qujat::render
