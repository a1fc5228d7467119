#!/usr/bin/python3
"""Times the Python reference's loading + seed frontend on a list of files.

Run with /usr/bin/python3 (it has torch/torchaudio). For each file: soundfile
decode (load_audio) + seed_logmel (torchaudio resample to 16 kHz, peak
normalise, 5 s pad/trim, MelSpectrogram, log, bilinear resize), exactly the
functions the reference pipeline calls per clip. Prints one JSON object:
wall and CPU seconds spent inside the loop (imports and interpreter start excluded).
"""
import argparse
import json
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True, help="folder holding seed_frontend.py")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    sys.path.insert(0, args.reference)
    import torch
    import seed_frontend

    torch.set_num_threads(args.threads)
    t0, c0 = time.perf_counter(), time.process_time()
    patches = 0
    for path in args.files:
        wav, sr = seed_frontend.load_audio(path)
        seed_frontend.seed_logmel(wav, sr)
        patches += 1
    loop_s, loop_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"files": len(args.files), "patches": patches, "loop_s": loop_s, "loop_cpu_s": loop_cpu_s,
                      "torch_threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
