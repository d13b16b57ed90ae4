"""Frame normalizations: what surrounds the members.

- `gzip-header`: the compression layer is compared by its decompressed stream: gzip mtime, file name,
  OS byte, extra flags, the compression level and the compressor itself (zlib and zlib-ng give
  different deflate bytes) are erased. So are the gzip/bzip2/xz choice and, for zip, the compression
  method of each member. Bytes hidden after the compressed stream are never erased.
- `tar-format` (its frame part): the end-of-archive blocks are compared as "zero blocks", whatever
  their number; non-zero bytes after the end-of-archive marker are never erased.
"""

from __future__ import annotations

from verifier.archive.interface import ArchiveInfo
from verifier.normalize.interface import Frame


def original_frame(info: ArchiveInfo) -> Frame:
    """Tokens for the exact bytes around the members."""
    container = info.container
    if container is None or container.compression == "none":
        container_token = "none"
    else:
        # The compressed bytes are all of the file: its hash is the exact token.
        container_token = f"{container.compression}:file-sha256={info.sha256}"
    return Frame(container=container_token, trailer=trailer_token(info))


RECORD_SIZES = (10240, 512)  # tarfile's and GNU tar's default record (20 blocks); no record padding


def natural_trailer_size(offset: int, record: int) -> int:
    """Two zero blocks, then zeros up to a whole number of records."""
    return 1024 + (-(offset + 1024)) % record


def trailer_token(info: ArchiveInfo) -> str:
    """The end of the tar stream. Zero padding up to a whole record follows from the size of the
    members before it, so it is named by its record size rather than its length: a normalization
    that removes a header block does not turn the padding into a difference."""
    if info.format == "zip":
        return "zip"
    if info.trailer_zero and info.trailer_size:
        for record in RECORD_SIZES:
            if info.trailer_size == natural_trailer_size(info.trailer_offset, record):
                return f"zero-blocks:record={record}"
    return f"exact:{info.trailer_size}:{info.trailer_sha256}"


def gzip_header(frame: Frame, info: ArchiveInfo) -> Frame:
    container = info.container
    if container is None or container.compression == "none":
        return frame
    token = "decompressed"
    if container.compression == "zip":
        token += f";zip-unaccounted={container.trailing_sha256}"
    elif container.trailing_size and not container.trailing_zero:
        token += f";trailing={container.trailing_size}:{container.trailing_sha256}"
    return Frame(container=token, trailer=frame.trailer)


def tar_format_trailer(frame: Frame, info: ArchiveInfo) -> Frame:
    if info.trailer_zero and info.format != "zip":
        return Frame(container=frame.container, trailer="zero-blocks")
    return frame
