// The /sparql query page: YASGUI pointed at this endpoint, the example questions one click away.
// Nothing here reaches another host: LOV and prefix.cc completions are off, prefixes come from us.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;

  // Researchers read whole values: the result table starts with ellipsis off (its switch still turns it on).
  var Table = Yasgui.Yasr.plugins.table;
  class WholeTable extends Table {
    draw(config) {
      return super.draw(Object.assign({ isEllipsed: false }, config));
    }
  }
  Yasgui.Yasr.registerPlugin("table", WholeTable);

  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.defaults.requestConfig.endpoint = endpoint;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    persistenceId: "wwiikg-sparql",
    autofocus: false,
    yasqe: { value: config.examples.length ? config.examples[0].query : "", prefixCcApi: config.prefixes },
  });

  function run(example) {
    var tab = yasgui.getTab();
    tab.setEndpoint(endpoint);
    tab.setName(example.title);
    tab.setQuery(example.query);
    tab.query();
  }

  document.querySelectorAll("button[data-example]").forEach(function (button) {
    button.addEventListener("click", function () {
      run(config.examples[Number(button.getAttribute("data-example"))]);
    });
  });
})();
