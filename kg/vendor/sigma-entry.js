// The page's renderer, bundled once into kg/vendor/sigma-bundle.min.js (see kg/vendor/README.md).
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
window.KgSigma = { Graph, Sigma, forceAtlas2 };
