// The code systems an application uses besides IIN/BIN: ISO 3166-1 alpha-2
// countries and ISO 4217 currencies (tables of Debian's iso-codes package,
// /usr/share/iso-codes/json, read once), EAEU commodity codes (ТН ВЭД ЕАЭС,
// 10 digits), control-list codes (5A002, 1C350, 10C905, ML1) and EAEU unit
// codes (the three-digit codes of the EAEU units classifier, 796 = piece).
#pragma once

#include <string_view>

namespace qujat::model {

// Current ISO codes. The tables load on first use from the front end's choice
// (resource_dirs().iso_codes; the CLI's $QUJAT_ISO_CODES_DIR) or /usr/share/iso-codes/json; throws qujat::Error("model.iso_codes")
// naming the file when they cannot be read.
bool is_country_code(std::string_view alpha2);
bool is_currency_code(std::string_view alpha3);

// Exactly 10 ASCII digits.
bool is_commodity_code(std::string_view code) noexcept;

// A control-list code: a category (0-9, or 10 for Kazakhstan's national
// security list), a group letter A-E and a three-digit item, optionally with
// dotted sub-items ("5A002", "1C350", "10C905", "5A002.a.1"); or a military
// list entry ML1-ML22 with optional sub-item ("ML1", "ML8.a").
bool is_control_code(std::string_view code) noexcept;

// Exactly three digits.
bool is_unit_code(std::string_view code) noexcept;

}  // namespace qujat::model
