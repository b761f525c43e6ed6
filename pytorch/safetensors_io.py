"""Reads and writes the safetensors format (huggingface/safetensors) with torch alone.

Uses the `safetensors` package when it is installed; otherwise this small reader and
writer of the same format: an 8-byte little-endian header length N, N bytes of JSON
(dtype, shape, data_offsets per tensor, optional "__metadata__"), then raw
little-endian data. Handles the dtypes the lab writes (F32, F64, I32, I64, U8).
"""

import json
import struct

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}
NAMES = {v: k for k, v in DTYPES.items()}
MAX_HEADER = 100_000_000


def load_file(path):
    """{name: tensor} of a safetensors file (CPU tensors, own memory)."""
    try:
        from safetensors.torch import load_file as lib_load
        return lib_load(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    return decode(data, path)


def decode(data, where="<bytes>"):
    if len(data) < 8:
        raise ValueError("%s is not a safetensors file: shorter than its 8-byte header length" % where)
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or 8 + n > len(data):
        raise ValueError("%s is not a safetensors file (header length %d does not fit the file)" % (where, n))
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError("%s: tensor %s has dtype %s; this reader handles %s" % (where, name, info["dtype"], ", ".join(DTYPES)))
        start, end = info["data_offsets"]
        raw = bytearray(body[start:end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def metadata(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n).decode("utf-8")).get("__metadata__", {})


def save_file(tensors, path, meta=None):
    """Writes {name: tensor}; tensors are made contiguous CPU little-endian."""
    header = {}
    if meta:
        header["__metadata__"] = {str(k): str(v) for k, v in meta.items()}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        if t.dtype not in NAMES:
            raise ValueError("tensor %s has dtype %s; save it as one of %s" % (name, t.dtype, ", ".join(map(str, NAMES))))
        raw = t.numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
