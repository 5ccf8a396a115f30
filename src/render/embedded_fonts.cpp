#include "render/embedded_fonts.h"

#include <podofo/podofo.h>
#include <unicode/utf8.h>

#include <array>
#include <map>
#include <mutex>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "render/podofo.h"

namespace qujat::render {
namespace {

using namespace PoDoFo;

// Stream copies PoDoFo allocates for us (PdfStream::GetCopy / GetFilteredCopy).
using PodofoBuffer = UniquePtr<char, podofo_free>;

// The full shared subset: Basic Latin, Latin-1 and Latin Extended-A (foreign
// names and addresses), Russian and Kazakh Cyrillic (А-я, Ё, І plus Ғ Қ Ң Ү Ұ
// Һ Ә Ө and their neighbours), general punctuation (dashes, quotes,
// bullet), ₸ and €, №, ™ and the minus sign. Kept small: every glyph here
// is in every PDF (~45 KB per face).
constexpr std::array<std::pair<char32_t, char32_t>, 12> kRepertoire{{{0x20, 0x7E},
                                                                      {0xA0, 0x17F},
                                                                      {0x400, 0x45F},
                                                                      {0x490, 0x4BB},
                                                                      {0x4D8, 0x4D9},
                                                                      {0x4E8, 0x4E9},
                                                                      {0x2010, 0x2044},
                                                                      {0x20AC, 0x20AC},
                                                                      {0x20B8, 0x20B8},
                                                                      {0x2116, 0x2116},
                                                                      {0x2122, 0x2122},
                                                                      {0x2212, 0x2212}}};

// The core subset, enough for most documents (Kazakh and Russian text,
// ASCII names, codes and numbers): about half the glyphs of the full one, so
// the typical PDF is smaller and quicker to hash when it is signed.
constexpr std::array<std::pair<char32_t, char32_t>, 17> kCoreRepertoire{{{0x20, 0x7E},
                                                                        {0xA0, 0xBF},
                                                                        {0x401, 0x401},
                                                                        {0x406, 0x406},
                                                                        {0x410, 0x44F},
                                                                        {0x451, 0x451},
                                                                        {0x456, 0x456},
                                                                        {0x492, 0x493},
                                                                        {0x49A, 0x49B},
                                                                        {0x4A2, 0x4A3},
                                                                        {0x4AE, 0x4B1},
                                                                        {0x4BA, 0x4BB},
                                                                        {0x4D8, 0x4D9},
                                                                        {0x4E8, 0x4E9},
                                                                        {0x2010, 0x2026},
                                                                        {0x2116, 0x2116},
                                                                        {0x20B8, 0x20B8}}};

// Latin-1 letters (À-ÿ) on top of the core subset: a Kazakh or Russian form
// naming a German, French or Nordic party ("Müller", "Straße") would
// otherwise take the full subset, ~25 KB more to write and, when signed,
// to hash.
constexpr std::array<std::pair<char32_t, char32_t>, 1> kLatin1Letters{{{0xC0, 0xFF}}};

// Each tier holds the one before it.
enum Tier { kCore = 0, kLatin1 = 1, kFull = 2 };
constexpr int kTiers = 3;
constexpr int kOwnSubset = kTiers;  // a subset made for one document

template <std::size_t N>
bool in_ranges(const std::array<std::pair<char32_t, char32_t>, N>& ranges, char32_t c) {
  for (const auto& [first, last] : ranges)
    if (c >= first && c <= last) return true;
  return false;
}

bool in_tier(Tier tier, char32_t c) {
  switch (tier) {
    case kCore: return in_ranges(kCoreRepertoire, c);
    case kLatin1: return in_ranges(kCoreRepertoire, c) || in_ranges(kLatin1Letters, c);
    case kFull: break;
  }
  return in_ranges(kRepertoire, c);
}

// Subset tags (PDF 9.6.4): one per face and subset, so a document never has
// two different programs under one name.
const char* subset_prefix(FaceStyle style, int tier) {
  static constexpr const char* kTags[2][kTiers + 1] = {{"QJCREG+", "QJLREG+", "QJTREG+", "QJDREG+"},
                                                       {"QJCBLD+", "QJLBLD+", "QJTBLD+", "QJDBLD+"}};
  return kTags[style == FaceStyle::Bold ? 1 : 0][tier];
}

PdfString to_pdf_string(const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); }

// PdfFontFactory::CreateFontObject hands the font to its caller: unlike
// PdfDocument::CreateFont it is in no font cache, so the document never
// deletes it. It must go before the document, whose FreeType library its
// metrics use.
std::unique_ptr<PdfFont> new_subset_font(PdfMemDocument& doc, const FontFace& face, FaceStyle style, int tier) {
  PdfRefCountedBuffer buffer(const_cast<char*>(face.data().data()), face.data().size());
  buffer.SetTakePossesion(false);  // the bytes belong to the process-wide FontFace
  FT_Library library = doc.GetFontLibrary();
  auto* metrics = new PdfFontMetricsFreetype(&library, buffer, false, subset_prefix(style, tier));
  std::unique_ptr<PdfFont> font(PdfFontFactory::CreateFontObject(
      metrics, ePdfFont_Embedded | ePdfFont_Subsetting, new PdfIdentityEncoding(0, 0xffff, true), &doc.GetObjects()));
  if (!font) throw Error("render.font", "PoDoFo could not embed the font " + face.path());
  return font;
}

void mark_used(PdfFont& font, const std::string& utf8) {
  PdfString s = to_pdf_string(utf8);
  font.AddUsedSubsettingGlyphs(s, s.GetCharacterLength());
}

// The font objects of the shared subset, detached from the document that made them.
struct FontTemplate {
  struct Object {
    PdfReference ref;
    PdfVariant value;
    bool has_stream = false;
    std::string raw_stream;  // as stored (Flate-compressed)
  };
  std::vector<Object> objects;  // objects[0] is the Type0 font
};

void collect(PdfMemDocument& doc, const PdfVariant& value, std::map<PdfReference, bool>& seen,
             FontTemplate& out) {
  if (value.IsReference()) {
    const PdfReference& ref = value.GetReference();
    if (seen[ref]) return;
    seen[ref] = true;
    PdfObject* object = doc.GetObjects().GetObject(ref);
    if (object == nullptr) return;
    FontTemplate::Object copy{ref, static_cast<const PdfVariant&>(*object), object->HasStream(), {}};
    if (object->HasStream()) {
      char* buffer = nullptr;
      pdf_long length = 0;
      object->GetStream()->GetCopy(&buffer, &length);
      const PodofoBuffer owned(buffer);
      copy.raw_stream.assign(owned.get(), static_cast<std::size_t>(length));
    }
    out.objects.push_back(std::move(copy));
    collect(doc, static_cast<const PdfVariant&>(*object), seen, out);
  } else if (value.IsDictionary()) {
    for (const auto& [key, child] : value.GetDictionary().GetKeys()) collect(doc, *child, seen, out);
  } else if (value.IsArray()) {
    for (const auto& child : value.GetArray()) collect(doc, child, seen, out);
  }
}

std::uint32_t read_u32(const std::string& f, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(f[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(f[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(f[at + 2])) << 8 |
         static_cast<unsigned char>(f[at + 3]);
}

std::uint16_t read_u16(const std::string& f, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(f[at]) << 8 | static_cast<unsigned char>(f[at + 1]));
}

void write_u32(std::string& f, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) f[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

// TrueType checksum: the sum of the big-endian 32-bit words, zero-padded.
std::uint32_t table_checksum(const std::string& f, std::size_t offset, std::size_t length) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < length; i += 4) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k)
      word = word << 8 | (i + k < length ? static_cast<unsigned char>(f[offset + i + k]) : 0u);
    sum += word;
  }
  return sum;
}

// PoDoFo's subsetter keeps glyph indices, so the subset's hmtx still has the
// metrics of all ~6 000 glyphs of the face: ~9 KB per face after Flate in
// every PDF. Readers take widths from the font's /W array and no content
// refers to a glyph outside the subset, so those entries are zeroed (they
// then compress to almost nothing); the subset's own glyphs keep theirs.
// Table checksums and head.checkSumAdjustment are brought up to date. Any
// table layout this does not expect leaves the font as PoDoFo wrote it.
void blank_unused_metrics(std::string& font, const std::vector<bool>& used) {
  if (font.size() < 12) return;
  const std::size_t tables = read_u16(font, 4);
  if (12 + 16 * tables > font.size()) return;
  struct Table {
    std::size_t record = 0, offset = 0, length = 0;
  };
  std::map<std::string, Table> dir;
  for (std::size_t i = 0; i < tables; ++i) {
    const std::size_t r = 12 + 16 * i;
    Table t{r, read_u32(font, r + 8), read_u32(font, r + 12)};
    if (t.offset + t.length > font.size()) return;
    dir[font.substr(r, 4)] = t;
  }
  for (const char* tag : {"head", "hhea", "maxp", "loca", "hmtx"})
    if (!dir.contains(tag)) return;
  const Table &head = dir["head"], &hhea = dir["hhea"], &maxp = dir["maxp"], &loca = dir["loca"], &hmtx = dir["hmtx"];
  if (head.length < 54 || hhea.length < 36 || maxp.length < 6) return;
  const std::size_t glyphs = read_u16(font, maxp.offset + 4);
  const std::size_t metrics = read_u16(font, hhea.offset + 34);
  const bool long_loca = read_u16(font, head.offset + 50) == 1;
  if (metrics == 0 || metrics > glyphs || loca.length < (glyphs + 1) * (long_loca ? 4 : 2) ||
      hmtx.length < 4 * metrics + 2 * (glyphs - metrics))
    return;
  auto glyph_offset = [&](std::size_t g) -> std::uint32_t {
    return long_loca ? read_u32(font, loca.offset + 4 * g) : 2u * read_u16(font, loca.offset + 2 * g);
  };
  for (std::size_t g = 1; g < glyphs; ++g) {
    // Composite glyphs' components have outlines, so they are kept too.
    if ((g < used.size() && used[g]) || glyph_offset(g + 1) > glyph_offset(g)) continue;
    if (g < metrics)
      std::fill_n(font.begin() + static_cast<std::ptrdiff_t>(hmtx.offset + 4 * g), 4, '\0');
    else
      std::fill_n(font.begin() + static_cast<std::ptrdiff_t>(hmtx.offset + 4 * metrics + 2 * (g - metrics)), 2, '\0');
  }
  write_u32(font, hmtx.record + 4, table_checksum(font, hmtx.offset, hmtx.length));
  write_u32(font, head.offset + 8, 0);
  write_u32(font, head.record + 4, table_checksum(font, head.offset, head.length));
  write_u32(font, head.offset + 8, 0xB1B0AFBAu - table_checksum(font, 0, font.size()));
}

FontTemplate build_template(const FontFace& face, FaceStyle style, Tier tier) {
  const auto document = new_document();
  PdfMemDocument& doc = *document;
  const std::unique_ptr<PdfFont> font = new_subset_font(doc, face, style, tier);
  std::string all;
  std::vector<bool> used(0x10000, false);
  for (const auto& [first, last] : kRepertoire)
    for (char32_t c = first; c <= last; ++c) {
      if (face.glyph(c) == 0 || !in_tier(tier, c)) continue;
      used[face.glyph(c)] = true;
      char buffer[4];
      int32_t n = 0;
      U8_APPEND_UNSAFE(buffer, n, c);
      all.append(buffer, static_cast<std::size_t>(n));
    }
  mark_used(*font, all);
  font->EmbedSubsetFont();
  for (PdfObject* object : doc.GetObjects()) {
    if (!object->HasStream() || !object->IsDictionary() || object->GetDictionary().GetKey("Length1") == nullptr)
      continue;
    char* buffer = nullptr;
    pdf_long length = 0;
    object->GetStream()->GetFilteredCopy(&buffer, &length);
    const PodofoBuffer owned(buffer);
    std::string program(owned.get(), static_cast<std::size_t>(length));
    blank_unused_metrics(program, used);
    object->GetStream()->Set(program.data(), static_cast<pdf_long>(program.size()));
  }
  FontTemplate t;
  std::map<PdfReference, bool> seen;
  collect(doc, PdfVariant(font->GetObject()->Reference()), seen, t);
  return t;
}

const FontTemplate& shared_template(const FontSet& fonts, FaceStyle style, Tier tier) {
  static std::once_flag once[2][kTiers];
  static FontTemplate templates[2][kTiers];
  const int i = static_cast<int>(style);
  std::call_once(once[i][tier], [&] { templates[i][tier] = build_template(fonts.face(style), style, tier); });
  return templates[i][tier];
}

// The smallest shared subset that has every character of the text; -1 when none has.
int tier_of(std::string_view utf8) {
  int tier = kCore;
  for_each_code_point(utf8, [&tier](char32_t c) {
    while (tier < kTiers && !in_tier(static_cast<Tier>(tier), c)) ++tier;
  });
  return tier == kTiers ? -1 : tier;
}

void remap(PdfVariant& value, const std::map<PdfReference, PdfReference>& refs) {
  if (value.IsReference()) {
    if (auto it = refs.find(value.GetReference()); it != refs.end()) value = PdfVariant(it->second);
  } else if (value.IsDictionary()) {
    for (auto& [key, child] : value.GetDictionary().GetKeys()) remap(*child, refs);
  } else if (value.IsArray()) {
    for (auto& child : value.GetArray()) remap(child, refs);
  }
}

PdfReference instantiate(PdfMemDocument& doc, const FontTemplate& t) {
  std::map<PdfReference, PdfReference> refs;
  std::vector<PdfObject*> created;
  for (const auto& o : t.objects) {
    created.push_back(doc.GetObjects().CreateObject(PdfVariant(PdfDictionary())));
    refs.emplace(o.ref, created.back()->Reference());
  }
  for (std::size_t i = 0; i < t.objects.size(); ++i) {
    PdfVariant value = t.objects[i].value;
    remap(value, refs);
    static_cast<PdfVariant&>(*created[i]) = value;
    if (t.objects[i].has_stream) {
      PdfMemoryInputStream raw(t.objects[i].raw_stream.data(), static_cast<pdf_long>(t.objects[i].raw_stream.size()));
      created[i]->GetStream()->SetRawData(&raw);
    }
  }
  return created.front()->Reference();
}

}  // namespace

bool in_shared_repertoire(std::string_view utf8) { return tier_of(utf8) >= 0; }

EmbeddedFonts::EmbeddedFonts(PdfMemDocument& doc, const FontSet& fonts, const std::vector<Page>& pages)
    : fonts_(fonts) {
  int tier = kCore;
  for (const auto& page : pages)
    for (const auto& t : page.texts) {
      const int needed = tier_of(t.text);
      if (needed < 0) shared_ = false;
      tier = std::max(tier, needed);
    }
  for (FaceStyle style : {FaceStyle::Regular, FaceStyle::Bold}) {
    if (shared_) {
      refs_.push_back(instantiate(doc, shared_template(fonts, style, static_cast<Tier>(tier))));
      continue;
    }
    std::unique_ptr<PdfFont> font = new_subset_font(doc, fonts.face(style), style, kOwnSubset);
    for (const auto& page : pages)
      for (const auto& t : page.texts)
        if (t.face == style) mark_used(*font, t.text);
    refs_.push_back(font->GetObject()->Reference());
    own_fonts_.push_back(std::move(font));
  }
}

const PdfReference& EmbeddedFonts::reference(FaceStyle style) const { return refs_[static_cast<int>(style)]; }

std::string EmbeddedFonts::glyph_string(FaceStyle style, std::string_view utf8) const {
  const FontFace& face = fonts_.face(style);
  std::string out;
  out.reserve(utf8.size() * 2 + 8);
  out += '(';
  auto put = [&out](unsigned char b) {
    // A literal string takes raw bytes except these; CR and LF are escaped
    // because readers normalise raw line ends inside strings.
    switch (b) {
      case '(': out += "\\("; break;
      case ')': out += "\\)"; break;
      case '\\': out += "\\\\"; break;
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      default: out += static_cast<char>(b);
    }
  };
  for_each_code_point(utf8, [&face, &put](char32_t c) {
    const std::uint16_t g = face.glyph(c);
    put(static_cast<unsigned char>(g >> 8));
    put(static_cast<unsigned char>(g & 0xFF));
  });
  out += ')';
  return out;
}

void EmbeddedFonts::finish() {
  for (const auto& font : own_fonts_) font->EmbedSubsetFont();
}

}  // namespace qujat::render
