// Package components labels the 8-connected components of binary masks and
// gives their bounding boxes. It is the one flood fill of the project: the
// detection metrics (core/detecteval: AUPRO regions, Table III region
// rates), the noisy ground-truth detector (core/detect) and the crop boxes
// (core/crop: cv2.RETR_EXTERNAL outer regions) all label with Label.
package components
