// Package imageio reads and writes the raster files of the pipeline: anomaly
// maps and masks as 8-bit grayscale, product images as 8-bit RGB.
//
// Decoding covers PNG, JPEG, TIFF and BMP. Conversions follow OpenCV and PIL,
// which the reference implementation uses:
//   - colour to gray uses OpenCV's fixed-point BT.601 weights
//     (Y = (4899 R + 9617 G + 1868 B + 8192) >> 14), as cv2.IMREAD_GRAYSCALE;
//   - 16-bit samples are scaled to 8 bits by dropping the low byte (v >> 8),
//     as cv2.IMREAD_GRAYSCALE does for 16-bit PNGs;
//   - alpha is dropped without premultiplying, as PIL's convert("RGB").
//
// Writes are atomic (temporary file + rename).
package imageio
