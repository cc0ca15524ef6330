"""Pixels: decode untrusted media with limits, blur and grayscale it, cache it in memory.

QtGui only (QImage, QImageReader, QPainter on QImage): no QPixmap and no widgets, so everything here is safe to
run on worker threads. Nothing here writes to disk.

Import from the modules: decode (decode_image, DecodeLimits, MediaDecodeError), blur (blur, grayscale,
BlurStrength), prepare (prepare_media, PreparedMedia, placeholder_image, MediaCache), cache (MediaCache), reveal
(paint_covered_media, RevealView, RevealMode, fit_rect, needs_full_resolution: painting, on whatever thread owns the
painter), fullres (decode_full_resolution, on demand for zoom). The package re-exports nothing on purpose: a package
attribute named `blur` would hide the `blur` module from mock.patch and `import ... as`.
"""
