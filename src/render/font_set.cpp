#include "render/font_set.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include <fontconfig/fontconfig.h>
#include <podofo/podofo.h>
#include <unicode/utf8.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/common/source_tree.h"
#include "qujat/common/memory.h"

namespace qujat::render {
namespace {

constexpr std::uint16_t kAbsent = 0xFFFF;

// The front end's choice (resource_dirs), else the source tree's fonts/fonts.json (baked in at
// build time), else the installed /usr/share/qujat/fonts/fonts.json.
std::string default_config_path() {
  if (const auto& chosen = resource_dirs().fonts_config; !chosen.empty()) return chosen.string();
  const std::string in_tree = (source_tree() / "fonts" / "fonts.json").string();
  if (std::filesystem::exists(in_tree)) return in_tree;
  return "/usr/share/qujat/fonts/fonts.json";
}

// fontconfig through PoDoFo's wrapper, for systems where none of the listed
// files exists (another distribution's layout).
std::string fontconfig_lookup(const std::string& family) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  PoDoFo::PdfFontConfigWrapper wrapper;
  auto* config = static_cast<FcConfig*>(wrapper.GetFontConfig());
  if (config == nullptr) return {};
  std::string name = family;
  bool bold = false;
  if (auto colon = name.find(':'); colon != std::string::npos) {
    bold = name.substr(colon + 1) == "bold";
    name.resize(colon);
  }
  return PoDoFo::PdfFontCache::GetFontConfigFontPath(config, name.c_str(), bold, false);
}

std::vector<char> read_all(const std::string& path) {
  Bytes bytes = read_file(path);
  return {bytes.begin(), bytes.end()};
}

std::unique_ptr<FontFace> resolve_face(const nlohmann::json& face, const std::string& style,
                                       const std::string& config_path) {
  std::vector<std::string> tried;
  for (const auto& file : face.value("files", nlohmann::json::array())) {
    std::string path = file.get<std::string>();
    if (std::filesystem::exists(path)) return std::make_unique<FontFace>(path, read_all(path));
    tried.push_back(path);
  }
  std::string family = face.value("family", "");
  if (!family.empty()) {
    std::string path = fontconfig_lookup(family);
    if (!path.empty() && std::filesystem::exists(path)) return std::make_unique<FontFace>(path, read_all(path));
    tried.push_back("fontconfig: " + family);
  }
  throw Error("render.font", "no font file found for the " + style + " face named in " + config_path, tried);
}

}  // namespace

std::u32string utf8_to_u32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&out](char32_t c) { out.push_back(c); });
  return out;
}

FontFace::FontFace(std::string path, std::vector<char> data)
    : path_(std::move(path)), data_(std::move(data)), bmp_advance_(0x10000, kAbsent), bmp_glyph_(0x10000, 0) {
  FT_Library library = nullptr;
  if (FT_Init_FreeType(&library) != 0) throw Error("render.font", "FreeType could not start");
  auto library_owner = make_unique_ptr<FT_Done_FreeType>(library);
  FT_Face face = nullptr;
  if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(data_.data()),
                         static_cast<FT_Long>(data_.size()), 0, &face) != 0)
    throw Error("render.font", "not a font FreeType can read: " + path_);
  auto face_owner = make_unique_ptr<FT_Done_Face>(face);
  const double per_unit = 1000.0 / face->units_per_EM;
  ascent_ = face->ascender * per_unit;
  descent_ = face->descender * per_unit;
  FT_UInt glyph = 0;
  for (FT_ULong c = FT_Get_First_Char(face, &glyph); glyph != 0; c = FT_Get_Next_Char(face, c, &glyph)) {
    if (c >= bmp_advance_.size() || glyph > 0xFFFF) continue;
    bmp_glyph_[c] = static_cast<std::uint16_t>(glyph);
    FT_Fixed advance = 0;
    if (FT_Get_Advance(face, glyph, FT_LOAD_NO_SCALE, &advance) == 0)
      bmp_advance_[c] = static_cast<std::uint16_t>(std::min(advance * per_unit + 0.5, 65534.0));
  }
}

double FontFace::advance(char32_t c) const {
  if (c >= bmp_advance_.size() || bmp_advance_[c] == kAbsent) return 0;
  return bmp_advance_[c];
}

double FontFace::width(std::string_view utf8, double size) const {
  double total = 0;
  for_each_code_point(utf8, [this, &total](char32_t c) { total += advance(c); });
  return total * size / 1000.0;
}

bool FontFace::covers(std::string_view utf8) const {
  for (char32_t c : utf8_to_u32(utf8))
    if (c >= 0x20 && (c >= bmp_advance_.size() || bmp_advance_[c] == kAbsent)) return false;
  return true;
}

std::unique_ptr<FontSet> FontSet::load(const std::string& config_path) {
  std::ifstream in(config_path);
  if (!in) throw Error("render.font", "font configuration not found: " + config_path);
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error("render.font", "font configuration is not valid JSON: " + config_path, {e.what()});
  }
  const auto& faces = config.at("faces");
  auto set = std::unique_ptr<FontSet>(new FontSet());
  set->faces_[0] = resolve_face(faces.at("regular"), "regular", config_path);
  set->faces_[1] = resolve_face(faces.at("bold"), "bold", config_path);
  return set;
}

const FontSet& FontSet::instance() {
  static const std::unique_ptr<FontSet> set = load(default_config_path());
  return *set;
}

}  // namespace qujat::render
