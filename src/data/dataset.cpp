// load_dataset: metadata tables -> validated clips. Problems are collected over
// all splits and reported together, so one run shows everything to fix.
#include "pelagos/dataset.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>

#include "audio/audio_files.h"
#include "data/metadata_columns.h"
#include "data/table.h"
#include "pelagos/error.h"
#include "util/utf8.h"

namespace pelagos {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxProblemsShown = 25;

bool is_within(const fs::path& inner, const fs::path& outer) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

bool same_contents(const fs::path& a, const fs::path& b) {
  std::error_code ec1, ec2;
  if (fs::file_size(a, ec1) != fs::file_size(b, ec2) || ec1 || ec2) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::vector<char> ba(1 << 16), bb(1 << 16);
  while (fa && fb) {
    fa.read(ba.data(), static_cast<std::streamsize>(ba.size()));
    fb.read(bb.data(), static_cast<std::streamsize>(bb.size()));
    if (fa.gcount() != fb.gcount() || !std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
  }
  return true;
}

class Loader {
 public:
  explicit Loader(const DatasetOptions& options) : opt_(options) {}

  Dataset run() {
    if (!fs::is_directory(opt_.root))
      throw Error(fmt::format("{}: dataset folder not found. Pass --data with the folder that holds "
                              "train/, validate/, test/ and their metadata files.", opt_.root));
    ds_.root = opt_.root;
    for (const std::string& split : opt_.splits) load_split(split);
    check_across_splits();
    assign_labels();
    if (!problems_.empty()) {
      std::string msg = fmt::format("dataset {}: {} problem{} in the metadata; fix them and run again:",
                                    opt_.root, problems_.size(), problems_.size() == 1 ? "" : "s");
      for (size_t i = 0; i < problems_.size() && i < kMaxProblemsShown; ++i) msg += "\n  - " + problems_[i];
      if (problems_.size() > kMaxProblemsShown)
        msg += fmt::format("\n  ... and {} more", problems_.size() - kMaxProblemsShown);
      throw Error(msg);
    }
    return std::move(ds_);
  }

 private:
  struct Seen {
    std::string where;  // "train_metadata.xlsx row 5"
    std::string split;
    fs::path path;
  };

  void problem(std::string text) { problems_.push_back(std::move(text)); }

  // Problems with a name cell's text; empty string when it is fine.
  static std::string text_problem(const std::string& value) {
    if (value.empty()) return "is empty";
    if (!is_valid_utf8(value))
      return fmt::format("is not valid UTF-8 (\"{}\"); save the metadata as UTF-8", escape_bytes(value));
    if (is_spreadsheet_error_value(value))
      return fmt::format("holds the spreadsheet error {}; fix the formula or type the value", value);
    return "";
  }

  // Resolves a metadata file name inside the split folder; empty path plus `why` when it is unusable.
  fs::path resolve_audio(const fs::path& split_dir, const fs::path& split_canon, const std::string& name,
                         std::string& why) {
    fs::path rel(name);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory()) {
      why = "is an absolute path; write it relative to the split folder";
      return {};
    }
    for (const auto& part : rel) {
      if (part == "..") {
        why = "contains \"..\"; metadata may only name files inside the split folder";
        return {};
      }
    }
    fs::path full = (split_dir / rel).lexically_normal();
    std::error_code ec;
    if (!fs::exists(full, ec)) {
      why = fmt::format("was not found at {}", full.string());
      return {};
    }
    fs::path canon = fs::canonical(full, ec);
    if (ec || !is_within(canon, split_canon)) {
      why = fmt::format("resolves to {}, outside the split folder (a symbolic link?); copy the file "
                        "into the split folder", canon.string());
      return {};
    }
    if (!fs::is_regular_file(canon, ec)) {
      why = fmt::format("is not a regular file ({})", full.string());
      return {};
    }
    return full;
  }

  void load_split(const std::string& split) {
    const size_t problems_before = problems_.size();
    if (split == "train") train_broken_ = false;
    SplitData sd;
    sd.name = split;
    sd.metadata_path = metadata_path(opt_, split);
    const fs::path split_dir = fs::path(opt_.root) / split;
    bool ok = true;
    if (!fs::is_directory(split_dir)) {
      problem(fmt::format("{}: split folder not found; it must hold the {} audio files named in {}.",
                          split_dir.string(), split, sd.metadata_path));
      ok = false;
    }
    if (!fs::exists(sd.metadata_path)) {
      problem(fmt::format("{}: metadata file not found. Each split needs one (pattern \"{}\"); pass "
                          "--metadata-pattern for other names.", sd.metadata_path, opt_.metadata_pattern));
      ok = false;
    }
    if (!ok) return;
    Table t;
    try {
      t = read_table(sd.metadata_path);
    } catch (const Error& e) {  // an unreadable table: still check the other splits
      problem(e.what());
      if (split == "train") train_broken_ = true;
      return;
    }
    if (t.rows.empty()) {
      problem(fmt::format("{}: the table is empty; it needs a header row (file_name, ..., species_name) "
                          "and one row per audio file.", t.path));
      return;
    }
    const TableRow& header = t.rows.front();
    for (size_t i = 0; i < header.cells.size(); ++i) {
      if (has_audio_extension(trim_text(header.cells[i]))) {
        problem(fmt::format("{}: {} should be the header row (file_name, ..., species_name) but {} holds "
                            "\"{}\", a file name. Insert a header row.",
                            t.path, t.row_label(header), t.column_label(i), header.cells[i]));
        return;
      }
    }
    Column file_col, species_col;
    bool have_file = pick_column(t, opt_.file_column, kFileRole, file_col, problems_, ds_.warnings);
    bool have_species = pick_column(t, opt_.species_column, kSpeciesRole, species_col, problems_, ds_.warnings);
    if (!have_file || !have_species) return;
    if (file_col.index == species_col.index) {
      problem(fmt::format("{}: the file and species columns are both {}; choose two different columns.",
                          t.path, file_col.label));
      return;
    }
    if (t.rows.size() == 1) {
      problem(fmt::format("{}: no rows below the header; list one audio file per row.", t.path));
      return;
    }

    std::error_code ec;
    const fs::path split_canon = fs::canonical(split_dir, ec);
    for (size_t r = 1; r < t.rows.size(); ++r) {
      const TableRow& row = t.rows[r];
      const std::string where = fmt::format("{}: {}", t.path, t.row_label(row));
      const std::string file = trim_text(table_cell(row, file_col.index));
      const std::string species = trim_text(table_cell(row, species_col.index));
      bool row_ok = true;
      std::string why = text_problem(file);
      if (!why.empty()) {
        problem(fmt::format("{}, {}: the file name {}.", where, file_col.label, why));
        row_ok = false;
      }
      why = text_problem(species);
      if (!why.empty()) {
        problem(fmt::format("{}, {}: the species name {}.", where, species_col.label, why));
        row_ok = false;
      }
      if (!row_ok) continue;
      fs::path path = resolve_audio(split_dir, split_canon, file, why);
      if (path.empty()) {
        problem(fmt::format("{}, {}: \"{}\" {}.", where, file_col.label, file, why));
        continue;
      }
      Clip clip;
      clip.split = split;
      clip.file_name = file;
      clip.path = path.string();
      clip.species = species;
      clip.row = row.number;
      if (!note_unique(clip, where, path)) continue;
      sd.clips.push_back(std::move(clip));
    }
    if (split == "train" && problems_.size() > problems_before) train_broken_ = true;
    ds_.splits.push_back(std::move(sd));
  }

  // The same recording twice (one file listed twice, or hard links) is an error.
  bool note_unique(const Clip& clip, const std::string& where, const fs::path& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return true;
    auto key = std::make_pair(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
    auto [it, inserted] = by_inode_.emplace(key, Seen{where, clip.split, path});
    if (!inserted) {
      problem(fmt::format("{}: \"{}\" is the same file as {} ({}); list each recording once.", where,
                          clip.file_name, it->second.where, it->second.path.string()));
      return false;
    }
    by_name_.emplace(clip.file_name, std::vector<Seen>()).first->second.push_back(Seen{where, clip.split, path});
    return true;
  }

  // Same file name in two splits: identical bytes leak test data into training.
  void check_across_splits() {
    for (const auto& [name, seen] : by_name_) {
      for (size_t i = 0; i < seen.size(); ++i) {
        for (size_t j = i + 1; j < seen.size(); ++j) {
          if (seen[i].split == seen[j].split) continue;
          if (same_contents(seen[i].path, seen[j].path))
            problem(fmt::format("{} and {}: \"{}\" is the same recording in {} and {} (identical bytes); a "
                                "recording must be in one split only.",
                                seen[i].where, seen[j].where, name, seen[i].split, seen[j].split));
          else
            ds_.warnings.push_back(fmt::format("{} and {}: the name \"{}\" appears in {} and {} (different "
                                               "contents); check they are different recordings.",
                                               seen[i].where, seen[j].where, name, seen[i].split, seen[j].split));
        }
      }
    }
  }

  void assign_labels() {
    const SplitData* train = ds_.split("train");
    std::set<std::string> species;
    for (const auto& sd : ds_.splits)
      if (!train || &sd == train)
        for (const auto& c : sd.clips) species.insert(c.species);
    ds_.labels.names.assign(species.begin(), species.end());
    if (train && species.size() == 1 && problems_.empty())
      problem(fmt::format("{}: train has only one species (\"{}\"); a classifier needs at least two.",
                          train->metadata_path, *species.begin()));
    for (auto& sd : ds_.splits) {
      std::vector<Clip> kept;
      for (auto& c : sd.clips) {
        c.label = ds_.labels.index_of(c.species);
        if (c.label >= 0 || train_broken_) {  // rows dropped from a broken train would cascade
          kept.push_back(std::move(c));
          continue;
        }
        std::string hint;
        for (const auto& known : ds_.labels.names)
          if (normalize_header(known) == normalize_header(c.species)) hint = fmt::format(" (did you mean \"{}\"?)", known);
        std::string what = fmt::format("{}: row {}: species \"{}\" does not occur in train{}", sd.metadata_path,
                                       c.row, c.species, hint);
        if (opt_.drop_unknown_species)
          ds_.warnings.push_back(what + "; the row is dropped (--drop-unknown-species).");
        else
          problem(what + ". A model cannot learn a species it never sees: fix the name, add train "
                         "recordings, or pass --drop-unknown-species to skip such rows.");
      }
      sd.clips = std::move(kept);
    }
  }

  const DatasetOptions& opt_;
  Dataset ds_;
  std::vector<std::string> problems_;
  bool train_broken_ = false;
  std::map<std::pair<uint64_t, uint64_t>, Seen> by_inode_;
  std::map<std::string, std::vector<Seen>> by_name_;
};

}  // namespace

int LabelMap::index_of(const std::string& species) const {
  auto it = std::find(names.begin(), names.end(), species);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

const SplitData* Dataset::split(const std::string& name) const {
  for (const auto& s : splits)
    if (s.name == name) return &s;
  return nullptr;
}

std::string metadata_path(const DatasetOptions& options, const std::string& split) {
  std::string name = options.metadata_pattern;
  for (size_t pos; (pos = name.find("{split}")) != std::string::npos;) name.replace(pos, 7, split);
  return (fs::path(options.root) / name).string();
}

Dataset load_dataset(const DatasetOptions& options) { return Loader(options).run(); }

}  // namespace pelagos
