#include "util/python_json.h"

#include <cmath>

namespace pelagos {
namespace {

void dump(const nlohmann::json& v, std::string& out) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += nlohmann::json(key).dump(-1, ' ', true);
        out += ": ";
        dump(item, out);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        dump(v[i], out);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::number_float: {
      const double d = v.get<double>();
      if (std::isnan(d)) {
        out += "NaN";
      } else if (std::isinf(d)) {
        out += d > 0 ? "Infinity" : "-Infinity";
      } else {
        out += v.dump();
      }
      return;
    }
    default:
      out += v.dump(-1, ' ', /*ensure_ascii=*/true);
  }
}

}  // namespace

std::string python_json_dumps(const nlohmann::json& value) {
  std::string out;
  dump(value, out);
  return out;
}

nlohmann::json python_json_loads(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  // Rewrite Python's non-standard literals outside strings as marker strings,
  // then turn the markers back into numbers while parsing.
  static const std::string kPosInf = "\x01pelagos+inf", kNegInf = "\x01pelagos-inf";
  std::string fixed;
  fixed.reserve(text.size() + 32);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      fixed += ch;
      if (ch == '\\' && i + 1 < text.size()) {
        fixed += text[++i];
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (ch == '"') {
      in_string = true;
      fixed += ch;
    } else if (text.compare(i, 9, "-Infinity") == 0) {
      fixed += "\"\\u0001pelagos-inf\"";
      i += 8;
    } else if (text.compare(i, 8, "Infinity") == 0) {
      fixed += "\"\\u0001pelagos+inf\"";
      i += 7;
    } else if (text.compare(i, 3, "NaN") == 0) {
      fixed += "null";
      i += 2;
    } else {
      fixed += ch;
    }
  }
  const nlohmann::json::parser_callback_t restore = [](int, nlohmann::json::parse_event_t event,
                                                       nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::value && parsed.is_string()) {
      // Compare before assigning: assigning a number destroys the string `s` refers to.
      const auto& s = parsed.get_ref<const std::string&>();
      if (s == kPosInf)
        parsed = HUGE_VAL;
      else if (s == kNegInf)
        parsed = -HUGE_VAL;
    }
    return true;
  };
  return nlohmann::json::parse(fixed, restore, /*allow_exceptions=*/false);
}

}  // namespace pelagos
