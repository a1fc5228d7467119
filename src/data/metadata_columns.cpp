#include "data/metadata_columns.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace pelagos {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

const ColumnRole kFileRole{"--file-column", "file_name", "species_name", 0};
const ColumnRole kSpeciesRole{"--species-column", "species_name", "file_name", 2};

std::string trim_text(const std::string& s) {
  const char* ws = " \t\r\n\v\f";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string normalize_header(const std::string& s) {
  std::string out = trim_text(s);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

const std::string& table_cell(const TableRow& row, size_t col) {
  static const std::string kEmpty;
  return col < row.cells.size() ? row.cells[col] : kEmpty;
}

bool pick_column(const Table& t, const std::string& option, const ColumnRole& role, Column& out,
               std::vector<std::string>& problems, std::vector<std::string>& warnings) {
  const TableRow& header = t.rows.front();
  size_t width = 0;
  for (const auto& r : t.rows) width = std::max(width, r.cells.size());
  const char* flag = role.flag;
  const char* wanted = role.header;
  const char* other = role.other_header;
  const size_t default_index = role.default_index;
  auto problem = [&](std::string text) { problems.push_back(std::move(text)); };
  auto label = [&](size_t i) {
    const std::string& h = table_cell(header, i);
    return h.empty() ? t.column_label(i) : fmt::format("{} (\"{}\")", t.column_label(i), h);
  };
  std::string names;
  for (size_t i = 0; i < header.cells.size(); ++i)
    names += fmt::format("{}\"{}\"", i ? ", " : "", header.cells[i]);
  const std::string opt = trim_text(option);
  if (opt.empty()) {
    for (size_t i = 0; i < header.cells.size(); ++i) {
      if (normalize_header(header.cells[i]) == wanted) {
        out = {i, label(i)};
        return true;
      }
    }
    if (normalize_header(table_cell(header, default_index)) == other) {
      problem(fmt::format("{}: {} {} is headed \"{}\" where the {} column belongs (header: {}). Fix the "
                          "header, or choose columns with --file-column and --species-column.",
                          t.path, t.row_label(header), t.column_label(default_index),
                          table_cell(header, default_index), wanted, names));
      return false;
    }
    if (default_index >= width) {
      problem(fmt::format("{}: no column is headed \"{}\" and the table has only {} column{} (header: {}). "
                          "Name the column \"{}\" or pass {} NAME|INDEX.",
                          t.path, wanted, width, width == 1 ? "" : "s", names, wanted, flag));
      return false;
    }
    warnings.push_back(fmt::format("{}: no column is headed \"{}\"; using {} by position, as the "
                                       "original system does. Pass {} to choose another.",
                                       t.path, wanted, label(default_index), flag));
    out = {default_index, label(default_index)};
    return true;
  }
  if (all_digits(opt)) {
    size_t idx = opt.size() > 5 ? width : std::stoul(opt);
    if (idx >= width) {
      problem(fmt::format("{}: {} {} is 0-based but the table has only {} column{} (header: {}).", t.path,
                          flag, opt, width, width == 1 ? "" : "s", names));
      return false;
    }
    if (normalize_header(table_cell(header, idx)) == other) {
      problem(fmt::format("{}: {} {} picks {}, which holds the {} column, not the {} column. Pass the "
                          "index of the {} column.", t.path, flag, opt, label(idx), other, wanted, wanted));
      return false;
    }
    out = {idx, label(idx)};
    return true;
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < header.cells.size(); ++i) {
      bool match = pass == 0 ? trim_text(header.cells[i]) == opt : normalize_header(header.cells[i]) == normalize_header(opt);
      if (match) {
        out = {i, label(i)};
        return true;
      }
    }
  }
  problem(fmt::format("{}: {} \"{}\": no such column in the header ({}: {}). Pass one of these names "
                      "or a 0-based index.", t.path, flag, opt, t.row_label(header), names));
  return false;
}

}  // namespace pelagos
