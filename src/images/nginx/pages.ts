/** The pages nginx ships in /usr/share/nginx/html, by version, and its release dates (the files' mtimes). */

/** index.html before 1.21.2. */
export const INDEX_2012 = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
/** index.html from 1.21.2 (dark-mode support) to 1.29.5. */
export const INDEX_2021 = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
/** index.html from 1.29.6. */
export const INDEX_2026 = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, nginx is successfully installed and working.\nFurther configuration is required for the web server, reverse proxy, \nAPI gateway, load balancer, content cache, or other features.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"https://nginx.org/\">nginx.org</a>.<br/>\nTo engage with the community please visit\n<a href=\"https://community.nginx.org/\">community.nginx.org</a>.<br/>\nFor enterprise grade support, professional services, additional \nsecurity features and capabilities please refer to\n<a href=\"https://f5.com/nginx\">f5.com/nginx</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
/** 50x.html before 1.21.2. */
export const ERR50X_2012 = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";
/** 50x.html from 1.21.2. */
export const ERR50X_2021 = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";
/** Release times (Unix seconds) of nginx versions. */
export const RELEASES: Record<string, number> = {
  '1.19.0': 1590505220, '1.19.1': 1594137365, '1.19.2': 1597157550, '1.19.3': 1601389930,
  '1.19.4': 1603811360, '1.19.5': 1606230394, '1.19.6': 1608043299, '1.19.7': 1613491038,
  '1.19.8': 1615303670, '1.19.9': 1617115631, '1.19.10': 1618326838, '1.20.0': 1618925746,
  '1.20.1': 1621946138, '1.20.2': 1637073842, '1.21.0': 1621945735, '1.21.1': 1625583556,
  '1.21.2': 1630422826, '1.21.3': 1631028062, '1.21.4': 1635864562, '1.21.5': 1640705317,
  '1.21.6': 1643123031, '1.22.0': 1653350358, '1.22.1': 1666166540, '1.23.0': 1655821536,
  '1.23.1': 1658239527, '1.23.2': 1666166180, '1.23.3': 1670946833, '1.23.4': 1680015713,
  '1.24.0': 1681177534, '1.25.0': 1684854499, '1.25.1': 1686668889, '1.25.2': 1692118984,
  '1.25.3': 1698155206, '1.25.4': 1707911746, '1.25.5': 1713277670, '1.26.0': 1713879608,
  '1.26.1': 1716902814, '1.26.2': 1723472745, '1.26.3': 1738773647, '1.27.0': 1716902378,
  '1.27.1': 1723472452, '1.27.2': 1727881999, '1.27.3': 1732636500, '1.27.4': 1738772022,
  '1.27.5': 1744804871, '1.28.0': 1745408934, '1.28.1': 1766515233, '1.28.2': 1770225743,
  '1.28.3': 1774377203, '1.29.0': 1750785761, '1.29.1': 1755095621, '1.29.2': 1759856647,
  '1.29.3': 1761653110, '1.29.4': 1765304890, '1.29.5': 1770217940, '1.29.6': 1773156547,
  '1.29.7': 1774366714, '1.29.8': 1775561832, '1.30.0': 1776172211, '1.30.1': 1778692855,
  '1.30.2': 1779462448, '1.30.3': 1781709333, '1.30.4': 1784136038, '1.31.0': 1778692787,
  '1.31.1': 1779462127, '1.31.2': 1781707235, '1.31.3': 1784131394, '1.31.4': 1786478857,
};
