#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets to fuzz/corpus/<target>/.

Deterministic: rerunning it rewrites the same files. Needs only the Python
standard library (the .npy files are assembled byte by byte).
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def out_dir(target):
    path = os.path.join(HERE, "corpus", target)
    os.makedirs(path, exist_ok=True)
    return path


def npy(header, data, major=1, pad=True):
    """A .npy file: magic, version, header length, header text, data."""
    text = header.encode("ascii")
    width = 2 if major == 1 else 4
    if pad:
        prefix = 6 + 2 + width
        total = prefix + len(text) + 1
        text += b" " * ((64 - total % 64) % 64) + b"\n"
    length = struct.pack("<H" if width == 2 else "<I", len(text))
    return b"\x93NUMPY" + bytes([major, 0]) + length + text + data


def doubles(values, order="<"):
    return b"".join(struct.pack(order + "d", v) for v in values)


def floats(values, order="<"):
    return b"".join(struct.pack(order + "f", v) for v in values)


def write_npy():
    d = out_dir("fuzz_npy")
    nan, inf = float("nan"), float("inf")
    files = {
        "f8_2x3.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                          doubles([1, -1, 0.5, 2, -0.25, 3])),
        "f4_5.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }",
                        floats([1, -1, 0.5, nan, inf])),
        "f8_be_fortran_2x2.npy": npy("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }",
                                     doubles([1, 2, 3, 4], ">")),
        "f4_be_3x1.npy": npy("{'descr': '>f4', 'fortran_order': False, 'shape': (3, 1), }",
                             floats([-0.0, 1e-40, 3.4e38], ">")),
        "f8_scalar.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                             doubles([42.0])),
        "f8_empty.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", b""),
        "f8_0x3.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", b""),
        "v2_f8_1x2.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                             doubles([1, 2]), major=2),
        "v3_f4_2.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                           floats([1, 2]), major=3),
        "odd_header.npy": npy('{"shape":(2L,1L,),"fortran_order":True,"descr":"<f8"}',
                              doubles([5, 6]), pad=False),
        "bad_descr.npy": npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                             struct.pack("<q", 7)),
        "truncated.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
                             doubles([1, 2])),
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def write_cli_args():
    d = out_dir("fuzz_cli_args")
    lines = {
        "capacity.txt": "--nv 100 --nh 8 --theta 0.5 --weights pm1 --seed 1 --json",
        "softmax.txt": "--model softmax --beta 2 --schedule async --max-steps 50 --nv 16 --nh 4",
        "polynomial.txt": "--model polynomial --order 3 --visible binary --nv=10 --nh=4",
        "hopfield_gauss.txt": "--model hopfield --weights gauss --nv 3 --nh 2 --seed 7",
        "continuous.txt": "--schedule continuous --dt 0.1 --tau-v 1 --tau-h 0.5 --tolerance 1e-6",
        "lists.txt": "--levels 0.1,0.5,1 --names a,b,c --ratio=-0.5 --k -3 --count 9223372036854775807",
        "seed_max.txt": "--seed 18446744073709551615 --quiet --anything -1e308,0x1p-3,inf",
        "file_weights.txt": "--weights w.npy --nv 4 --out result.json",
        "errors.txt": "--nv 0 --nh --theta nan --unknown x stray",
        "strict.txt": "@strict --input x.npy --n 3 --scale 1.5",
        "strict_missing.txt": "@strict --scale=9",
        "empty_help.txt": "@empty --help",
    }
    for name, line in lines.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(line + "\n")
    # NUL-separated words may hold spaces or be empty.
    with open(os.path.join(d, "nul_words.bin"), "wb") as f:
        f.write(b"--out\0path with spaces\0--theta\0 1\0--names\0a,,b\0\0--k=")


def write_recall():
    d = out_dir("fuzz_recall")
    rng = random.Random(20240601)
    for size in (16, 64, 256, 1024, 4096):
        with open(os.path.join(d, "random_%d.bin" % size), "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(size)))


if __name__ == "__main__":
    write_npy()
    write_cli_args()
    write_recall()
