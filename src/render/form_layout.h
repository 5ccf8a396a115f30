// Box-form layout: turns a PrintedForm into pages (render/page_model.h) the
// way the official forms look: numbered boxes in grids, goods tables whose
// header repeats on every continuation sheet, bilingual labels, title,
// authority header, signatory and a footer band with the QR code on every page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qujat/docs/printed_form.h"
#include "render/page_model.h"

namespace qujat::render {

struct LayoutOptions {
  std::vector<std::string> languages{"kk", "ru"};  // print order
  // Continuation-sheet wording with {n} and {m}; "{n} / {m}" when empty.
  docs::BilingualText sheet_pattern;
  PageGeometry geometry;
};

struct LaidOutForm {
  std::vector<Page> pages;
  PageGeometry geometry;  // with the footer band sized to the footer text
  // Where the QR code goes on every page (top-left corner and side, points from the top).
  double qr_x = 0, qr_y = 0, qr_side = 0;
};

LaidOutForm lay_out(const docs::PrintedForm& form, const LayoutOptions& options, const FontSet& fonts);

// Breaks UTF-8 text into lines no wider than `width` at `size` points, at
// ICU line-break opportunities for `lang`; a word wider than the line is cut
// between characters (no hyphen is added: values such as codes and numbers
// must stay exactly as given). Explicit "\n" starts a new line.
std::vector<std::string> wrap_text(std::string_view text, const FontFace& face, double size, double width,
                                   std::string_view lang);

}  // namespace qujat::render
