# cmake -DINPUT=tdam_core.js -DOUTPUT=tdam_core.mjs -P esm.cmake
# The classic MODULARIZE script as an ES module: the same code followed by
# `export default createTdamCore;`. Browsers and workers (module or classic
# workers alike, and under a CSP without 'unsafe-eval') load it with import();
# Node loads the classic script instead (see wasm/js/tdam.js).
file(READ "${INPUT}" code)
file(WRITE "${OUTPUT}.tmp" "${code}\nexport default createTdamCore;\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
